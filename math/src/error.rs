use core::fmt;

/// Every way a math operation can fail. The program maps these to its own error codes at its boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MathError {
    /// A result does not fit its type.
    Overflow,
    /// A subtraction would go below zero.
    Underflow,
    /// A divisor is zero.
    DivisionByZero,
    /// A borrow-rate curve breaks its rules (point count, endpoints, ordering).
    InvalidCurve,
    /// A parameter set breaks its documented constraints.
    InvalidParams,
}

impl fmt::Display for MathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Overflow => "arithmetic overflow",
            Self::Underflow => "arithmetic underflow",
            Self::DivisionByZero => "division by zero",
            Self::InvalidCurve => "invalid borrow rate curve",
            Self::InvalidParams => "invalid parameters",
        })
    }
}

impl core::error::Error for MathError {}
