//! Channels: adding, editing, removing and testing them. Secrets go to the OS keyring here
//! and nowhere else.

use chrono::{DateTime, Utc};

use crate::{api, Engine, EngineError};

impl Engine {
    pub fn channels(&self) -> Result<Vec<api::ChannelDto>, EngineError> {
        todo!("lead")
    }

    /// Adds a channel; its secrets go to the OS keyring. Refuses a name in use.
    pub fn add_channel(&self, input: &api::ChannelInput, now: DateTime<Utc>) -> Result<api::ChannelDto, EngineError> {
        let _ = (input, now);
        todo!("lead")
    }

    /// Changes channel `name` (which `input.name` may rename). A secret left out of
    /// `input.secrets` is kept; an empty one is removed.
    pub fn update_channel(&self, name: &str, input: &api::ChannelInput) -> Result<api::ChannelDto, EngineError> {
        let _ = (name, input);
        todo!("lead")
    }

    /// Removes a channel, its secrets and its pending deliveries.
    pub fn remove_channel(&self, name: &str) -> Result<(), EngineError> {
        let _ = name;
        todo!("lead")
    }

    /// "Send test": a `ping` notice sent at once through the channel, with the server's answer.
    pub fn test_channel(&self, name: &str, now: DateTime<Utc>) -> Result<api::ChannelTestResult, EngineError> {
        let _ = (name, now);
        todo!("lead")
    }

    /// The desktop channel exists once the desktop app has run; the app calls this at start.
    pub fn ensure_desktop_channel(&self, now: DateTime<Utc>) -> Result<(), EngineError> {
        let _ = now;
        todo!("lead")
    }
}
