//! Webhooks (Standard Webhooks), Slack, Teams and Mattermost over HTTP.
use crate::{send::Sender, Answer, Failure, Outgoing, WebhookConfig};

pub(crate) fn send(sender: &Sender, config: &WebhookConfig, out: &Outgoing<'_>) -> Result<Answer, Failure> {
    let _ = (sender, config, out);
    Err(Failure::permanent("webhook: not built yet"))
}

pub(crate) fn send_chat(sender: &Sender, out: &Outgoing<'_>) -> Result<Answer, Failure> {
    let _ = (sender, out);
    Err(Failure::permanent("chat: not built yet"))
}
