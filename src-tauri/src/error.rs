//! Errors as the webview sees them: `{code, message}` (`vigil_engine::api::ErrorDto`). The engine
//! maps its own errors; the shell only adds the few that are its own.

use vigil_engine::{
    api::{ErrorCode, ErrorDto},
    EngineError,
};

pub type CommandResult<T> = Result<T, ErrorDto>;

pub fn from_engine(error: &EngineError) -> ErrorDto {
    ErrorDto::from(error)
}

pub fn internal(message: impl Into<String>) -> ErrorDto {
    ErrorDto {
        code: ErrorCode::Internal,
        message: message.into(),
    }
}

pub fn invalid_input(message: impl Into<String>) -> ErrorDto {
    ErrorDto {
        code: ErrorCode::InvalidInput,
        message: message.into(),
    }
}
