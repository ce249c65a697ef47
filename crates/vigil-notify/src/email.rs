//! SMTP with lettre.
use crate::{Answer, EmailConfig, Failure, Outgoing};

pub(crate) fn send(config: &EmailConfig, out: &Outgoing<'_>) -> Result<Answer, Failure> {
    let _ = (config, out);
    Err(Failure::permanent("email: not built yet"))
}
