//! Channel secrets live only in the OS keyring (Secret Service on Linux, through the `keyring`
//! crate): never in SQLite, logs, exports or IPC. Entries are keyed by the workspace (a random
//! id kept in its settings, so two data directories never share a secret), the channel and the
//! secret's kind.

use std::sync::Arc;

use vigil_notify::SecretKind;

use crate::EngineError;

/// Where secrets are kept. The real one is [`Keyring`]; unit tests of logic may use
/// [`MemorySecrets`], integration tests use the real keyring.
pub trait SecretStore: Send + Sync {
    fn get(&self, key: &str) -> Result<Option<String>, EngineError>;
    fn set(&self, key: &str, value: &str) -> Result<(), EngineError>;
    fn delete(&self, key: &str) -> Result<(), EngineError>;
}

/// The keyring entry name of one secret of one channel in one workspace.
pub fn secret_key(workspace: &str, channel: &str, kind: SecretKind) -> String {
    format!("{workspace}/channel/{channel}/{}", kind.as_str())
}

/// The keyring service name every Vigil entry is filed under.
pub const SERVICE: &str = "vigil";

/// The OS keyring.
pub struct Keyring;

impl Keyring {
    fn entry(key: &str) -> Result<keyring::Entry, EngineError> {
        keyring::Entry::new(SERVICE, key).map_err(keyring_error)
    }
}

/// A keyring failure as the user should read it: what to do, never the secret.
fn keyring_error(error: keyring::Error) -> EngineError {
    let hint = match &error {
        keyring::Error::NoStorageAccess(_) => {
            "the OS keyring is locked or refused access; unlock it (Secret Service, e.g. gnome-keyring) and retry"
        }
        keyring::Error::PlatformFailure(_) => {
            "no OS keyring is reachable (Secret Service over D-Bus, e.g. gnome-keyring); start one and retry"
        }
        keyring::Error::NoEntry
        | keyring::Error::BadEncoding(_)
        | keyring::Error::TooLong(..)
        | keyring::Error::Invalid(..)
        | keyring::Error::Ambiguous(_)
        | _ => "the OS keyring failed",
    };
    EngineError::InvalidInput(format!("{hint} ({error})"))
}

impl SecretStore for Keyring {
    fn get(&self, key: &str) -> Result<Option<String>, EngineError> {
        match Keyring::entry(key)?.get_password() {
            Ok(value) => Ok(Some(value)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn set(&self, key: &str, value: &str) -> Result<(), EngineError> {
        Keyring::entry(key)?
            .set_password(value)
            .map_err(keyring_error)
    }

    fn delete(&self, key: &str) -> Result<(), EngineError> {
        match Keyring::entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }
}

/// Secrets in memory, for unit tests of logic only.
#[derive(Default)]
pub struct MemorySecrets(std::sync::Mutex<std::collections::HashMap<String, String>>);

impl SecretStore for MemorySecrets {
    fn get(&self, key: &str) -> Result<Option<String>, EngineError> {
        Ok(self.0.lock().expect("secrets lock").get(key).cloned())
    }

    fn set(&self, key: &str, value: &str) -> Result<(), EngineError> {
        self.0
            .lock()
            .expect("secrets lock")
            .insert(key.to_string(), value.to_string());
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<(), EngineError> {
        self.0.lock().expect("secrets lock").remove(key);
        Ok(())
    }
}

pub(crate) fn default_store() -> Arc<dyn SecretStore> {
    Arc::new(Keyring)
}
