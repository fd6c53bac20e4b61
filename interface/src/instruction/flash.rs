use {
    crate::pod::Le64,
    bytemuck::{Pod, Zeroable},
};

/// Arguments of `FlashBorrow`: the amount lent out of the reserve's liquidity vault until the matching
/// `FlashRepay` later in the same transaction.
///
/// Accounts:
/// 0. `[w]` reserve.
/// 1. `[]` market.
/// 2. `[w]` liquidity vault.
/// 3. `[w]` destination token account (liquidity mint).
/// 4. `[]` market authority.
/// 5. `[]` instructions sysvar.
/// 6. `[]` token program.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct FlashBorrowArgs {
    pub amount: Le64,
}

const _: () = assert!(core::mem::size_of::<FlashBorrowArgs>() == 8);

/// Arguments of `FlashRepay`: the borrowed amount (the fee is added on top) and the top-level index of the
/// `FlashBorrow` it repays.
///
/// Accounts:
/// 0. `[w]` reserve.
/// 1. `[]` market.
/// 2. `[w]` liquidity vault.
/// 3. `[w]` source token account (liquidity mint).
/// 4. `[s]` user transfer authority: owner or delegate of the source.
/// 5. `[]` instructions sysvar.
/// 6. `[]` token program.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Pod, Zeroable, Debug)]
pub struct FlashRepayArgs {
    pub amount: Le64,
    pub borrow_instruction_index: u8,
}

const _: () = assert!(core::mem::size_of::<FlashRepayArgs>() == 9);
