//! Alignment-1 little-endian integers for account and instruction layouts.
//!
//! Account data is only guaranteed 8-byte aligned on chain, and `u128` has a different alignment on BPF (8)
//! than on x86_64 hosts (16). Storing every number as a byte array keeps each layout identical on every target
//! and lets any byte slice of the right length be viewed as the struct, whatever its address.

use bytemuck::{Pod, Zeroable};

macro_rules! le_int {
    ($name:ident, $int:ty, $len:literal) => {
        #[doc = concat!("A `", stringify!($int), "` stored little-endian with alignment 1.")]
        #[repr(transparent)]
        #[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable)]
        pub struct $name(pub [u8; $len]);

        impl $name {
            #[inline(always)]
            pub const fn new(value: $int) -> Self {
                Self(value.to_le_bytes())
            }

            #[inline(always)]
            pub const fn get(&self) -> $int {
                <$int>::from_le_bytes(self.0)
            }

            #[inline(always)]
            pub fn set(&mut self, value: $int) {
                self.0 = value.to_le_bytes();
            }
        }

        impl From<$int> for $name {
            fn from(value: $int) -> Self {
                Self::new(value)
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                self.get().fmt(f)
            }
        }
    };
}

le_int!(Le16, u16, 2);
le_int!(Le32, u32, 4);
le_int!(Le64, u64, 8);
le_int!(Le128, u128, 16);
le_int!(LeI64, i64, 8);

/// A flag stored as one byte. Any byte is a valid bit pattern; only 0 and 1 are accepted as values.
#[repr(transparent)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct Flag(pub u8);

impl Flag {
    pub const OFF: Flag = Flag(0);
    pub const ON: Flag = Flag(1);

    /// `None` for a byte that is neither 0 nor 1, so a corrupted flag is never read as either value.
    #[inline(always)]
    pub const fn get(self) -> Option<bool> {
        match self.0 {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    #[inline(always)]
    pub const fn is_on(self) -> bool {
        self.0 == 1
    }

    #[inline(always)]
    pub const fn from_bool(value: bool) -> Self {
        Flag(value as u8)
    }
}
