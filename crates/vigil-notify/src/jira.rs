//! Jira REST v2/v3.
use crate::{send::Sender, Answer, Failure, JiraConfig, Outgoing};

pub(crate) fn send(sender: &Sender, config: &JiraConfig, out: &Outgoing<'_>) -> Result<Answer, Failure> {
    let _ = (sender, config, out);
    Err(Failure::permanent("jira: not built yet"))
}
