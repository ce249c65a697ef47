//! Alerts become deliveries: routed by the plan inside the transaction that records them.
