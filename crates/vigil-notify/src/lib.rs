//! What a notification says and how it reaches a channel.
//!
//! The engine decides *who* is told *what* (the plan, the outbox) and hands this crate one
//! [`Outgoing`] message at a time: a [`Notice`] (the alerts it carries, already resolved to
//! plain facts), the channel's [`ChannelConfig`] and its [`ChannelSecrets`] (read from the OS
//! keyring by the engine). This crate renders it for the channel (`render/`) and sends it
//! (`send.rs` and one file per transport), returning the server's answer or a [`Failure`]
//! classified for retrying.
//!
//! No database, no keyring, no clock read inside logic: `now` comes in with the message.

pub mod channel;
pub mod notice;
pub mod render;
mod send;
pub mod signing;
mod transport;

mod email;
mod http;
mod jira;
mod webhook;

pub use channel::{
    ChannelConfig, ChannelKind, ChatConfig, EmailConfig, EmailSecurity, JiraConfig, JiraGrouping,
    SecretKind, WebhookConfig, WebhookEvent,
};
pub use notice::{AdvisoryNotice, AppNotice, Notice, NoticeKind, ViolationNotice, WaiverNotice};
pub use send::{send, Sender};
pub use transport::{Answer, ChannelSecrets, Failure, FailureClass, Outgoing};
