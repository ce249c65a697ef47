//! A [`crate::Notice`] rendered for each kind of channel. Pure.
