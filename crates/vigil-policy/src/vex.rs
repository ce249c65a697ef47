//! VEX documents in and out.
