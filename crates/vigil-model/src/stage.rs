use std::{fmt, str::FromStr};

/// Where a scan came from, in the order an artifact travels to production.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    Develop,
    Build,
    StageRelease,
    Release,
    Operate,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Develop,
        Stage::Build,
        Stage::StageRelease,
        Stage::Release,
        Stage::Operate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Develop => "develop",
            Stage::Build => "build",
            Stage::StageRelease => "stage-release",
            Stage::Release => "release",
            Stage::Operate => "operate",
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown stage {0:?}: expected one of develop, build, stage-release, release, operate")]
pub struct StageError(pub String);

impl FromStr for Stage {
    type Err = StageError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stage::ALL
            .into_iter()
            .find(|stage| stage.as_str() == s)
            .ok_or_else(|| StageError(s.into()))
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_parse_from_their_names_only() {
        for stage in Stage::ALL {
            assert_eq!(stage.as_str().parse::<Stage>().unwrap(), stage);
        }
        assert!("Build".parse::<Stage>().is_err());
        assert!("prod".parse::<Stage>().is_err());
    }
}
