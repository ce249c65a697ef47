use vigil_store::StoreError;

use crate::api::{ErrorCode, ErrorDto};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    Unreadable(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl EngineError {
    pub fn code(&self) -> ErrorCode {
        match self {
            EngineError::InvalidInput(_) => ErrorCode::InvalidInput,
            EngineError::Unreadable(_) => ErrorCode::UnreadableInput,
            EngineError::NotFound(_) => ErrorCode::NotFound,
            EngineError::Store(StoreError::SchemaTooNew { .. }) => ErrorCode::SchemaTooNew,
            EngineError::Io { .. } | EngineError::Store(_) => ErrorCode::Internal,
        }
    }

    pub fn to_dto(&self) -> ErrorDto {
        ErrorDto {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

impl From<&EngineError> for ErrorDto {
    fn from(error: &EngineError) -> Self {
        error.to_dto()
    }
}
