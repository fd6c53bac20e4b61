//! Link probe for ballast-math on the upstream BPF target.
//!
//! The entrypoint decodes operands from the instruction data and calls every public function and method
//! of ballast-math on them, folding each result into the return code. Inputs come from the runtime and
//! results leave through `black_box`, so fat LTO can neither constant-fold a call nor drop it: whatever the
//! crate lowers to (a 128-bit libcall, a call with too many register arguments) reaches the linker, which
//! is where the upstream BPF backend reports it.
//!
//! `MathError` is folded as its discriminant.
#![no_std]

use {
    ballast_math::{
        curve::{self, BorrowRateCurve, MAX_POINTS},
        deleverage, health,
        health::{BorrowPosition, DepositPosition, Health},
        interest, liquidation,
        liquidation::{BonusConfig, CloseFactorConfig, SeizeInput},
        preliquidation::PreLiquidationParams,
        reserve, value, Fraction, MathError,
    },
    core::{
        hash::{Hash, Hasher},
        hint::black_box,
    },
    pinocchio::{error::ProgramError, AccountView, Address, ProgramResult},
};

pinocchio::program_entrypoint!(process_instruction);
pinocchio::no_allocator!();
pinocchio::nostd_panic_handler!();

/// Reads little-endian words from the instruction data; past its end every word is 0.
struct Input<'a> {
    data: &'a [u8],
}

impl Input<'_> {
    fn u64(&mut self) -> u64 {
        let (word, rest) = match self.data.split_first_chunk::<8>() {
            Some((word, rest)) => (u64::from_le_bytes(*word), rest),
            None => (0, &[][..]),
        };
        self.data = rest;
        black_box(word)
    }

    fn u32(&mut self) -> u32 {
        // Keeping the low half is the intent.
        self.u64() as u32
    }

    fn u8(&mut self) -> u8 {
        // Keeping the low byte is the intent.
        self.u64() as u8
    }

    fn bool(&mut self) -> bool {
        self.u64() & 1 == 1
    }

    fn u128(&mut self) -> u128 {
        let lo = self.u64();
        let hi = self.u64();
        (u128::from(hi) << 64) | u128::from(lo)
    }

    fn fraction(&mut self) -> Fraction {
        Fraction::from_raw(self.u128())
    }
}

/// Folds results into one word.
#[derive(Default)]
struct Acc(u64);

impl Acc {
    fn u64(&mut self, v: u64) {
        self.0 = black_box(self.0.rotate_left(7) ^ v);
    }

    fn u128(&mut self, v: u128) {
        // Both halves, each kept exactly.
        self.u64(v as u64);
        self.u64((v >> 64) as u64);
    }

    fn bool(&mut self, v: bool) {
        self.u64(u64::from(v));
    }

    fn fraction(&mut self, v: Fraction) {
        self.u128(v.raw());
    }

    fn error(&mut self, e: MathError) {
        self.u64(e as u64);
    }

    fn result_u64(&mut self, r: Result<u64, MathError>) {
        match r {
            Ok(v) => self.u64(v),
            Err(e) => self.error(e),
        }
    }

    fn result_u128(&mut self, r: Result<u128, MathError>) {
        match r {
            Ok(v) => self.u128(v),
            Err(e) => self.error(e),
        }
    }

    fn result(&mut self, r: Result<Fraction, MathError>) {
        match r {
            Ok(v) => self.fraction(v),
            Err(e) => self.error(e),
        }
    }

    fn health(&mut self, h: &Health) {
        self.fraction(h.deposited_value);
        self.fraction(h.allowed_borrow_value);
        self.fraction(h.unhealthy_borrow_value);
        self.fraction(h.borrowed_value);
        self.fraction(h.debt_value_bf);
    }
}

/// FNV-1a, to exercise `Hash` for Fraction.
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn process_instruction(_program_id: &Address, _accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let mut input = Input { data };
    let mut acc = Acc::default();
    crate_root(&mut input, &mut acc);
    fraction(&mut input, &mut acc);
    curve(&mut input, &mut acc);
    interest_and_reserve(&mut input, &mut acc);
    value_fns(&mut input, &mut acc);
    health_fns(&mut input, &mut acc);
    liquidation_fns(&mut input, &mut acc);
    preliquidation_fns(&mut input, &mut acc);
    deleverage_fns(&mut input, &mut acc);
    match black_box(acc.0) {
        0 => Ok(()),
        // Keeping the low half is the intent: the code only has to depend on every result.
        v => Err(ProgramError::Custom(v as u32)),
    }
}

fn crate_root(input: &mut Input, acc: &mut Acc) {
    let (a, b, d) = (input.u64(), input.u64(), input.u64());
    acc.result_u64(ballast_math::mul_div_floor(a, b, d));
    acc.result_u64(ballast_math::mul_div_ceil(a, b, d));
}

fn fraction(input: &mut Input, acc: &mut Acc) {
    let x = input.fraction();
    let y = input.fraction();
    let n = input.u64();
    acc.fraction(Fraction::from_raw(input.u128()));
    acc.u128(x.raw());
    acc.fraction(Fraction::from_integer(n));
    acc.fraction(Fraction::from_bps(n));
    acc.fraction(Fraction::from_percent(n));
    acc.result(Fraction::from_ratio(n, input.u64()));
    acc.bool(x.is_zero());
    acc.result(x.checked_add(y));
    acc.result(x.checked_sub(y));
    acc.fraction(x.saturating_add(y));
    acc.fraction(x.saturating_sub(y));
    acc.result(x.checked_mul(y));
    acc.result(x.checked_mul_ceil(y));
    acc.fraction(x.saturating_mul(y));
    acc.result(x.checked_div(y));
    acc.result(x.checked_div_ceil(y));
    acc.result(x.checked_mul_int(n));
    acc.fraction(x.saturating_mul_int(n));
    acc.result(x.checked_div_int(n));
    acc.result_u64(x.mul_floor(n));
    acc.result_u64(x.mul_ceil(n));
    acc.result_u64(x.to_u64_floor());
    acc.result_u64(x.to_u64_ceil());
    acc.result_u64(x.to_bps_floor());
    acc.result_u64(x.to_bps_ceil());
    // The trait impls: ordering, equality, default and hashing. Not `Debug`/`Display`: `core::fmt` calls
    // through vtables, whose relocations sbpf-linker does not support (it stops with "relocation in lddw
    // is not in .rodata" after code generation, so the formatting code itself lowers), and the program
    // does not format either.
    acc.u64(x.cmp(&y) as u64);
    acc.bool(x < y);
    acc.bool(x == y);
    acc.fraction(x.max(y));
    acc.fraction(Fraction::default());
    acc.fraction(Fraction::ZERO.saturating_add(Fraction::ONE).saturating_add(Fraction::EPSILON));
    acc.fraction(Fraction::MAX);
    let mut hasher = Fnv(0xcbf2_9ce4_8422_2325);
    x.hash(&mut hasher);
    acc.u64(hasher.finish());
}

fn curve(input: &mut Input, acc: &mut Acc) {
    let mut points = [(0u32, 0u32); MAX_POINTS];
    for p in &mut points {
        *p = (input.u32(), input.u32());
    }
    let count = input.u8();
    let utilization = input.fraction();
    match BorrowRateCurve::from_stored(&points, count) {
        Ok(c) => {
            acc.fraction(c.borrow_rate(utilization));
            acc.u64(c.points().len() as u64);
            acc.u64(u64::from(c.stored_points()[0].1));
            acc.u64(u64::from(c.point_count()));
        }
        Err(e) => acc.error(e),
    }
    let len = usize::from(input.u8()) % (MAX_POINTS + 1);
    let some_points = points.get(..len).unwrap_or(&points);
    acc.bool(curve::validate_points(some_points).is_ok());
    acc.fraction(curve::borrow_rate_of_points(some_points, utilization));
    match BorrowRateCurve::new(points.get(..len).unwrap_or(&points)) {
        Ok(c) => acc.fraction(c.borrow_rate(utilization)),
        Err(e) => acc.error(e),
    }
}

fn interest_and_reserve(input: &mut Input, acc: &mut Acc) {
    let apr = input.fraction();
    let slots = input.u64();
    let growth = interest::compound(apr, slots);
    acc.result(growth);
    acc.fraction(interest::compound_error_bound(slots, growth.unwrap_or(Fraction::MAX)));

    let (available, borrowed, fees) = (input.u64(), input.fraction(), input.fraction());
    acc.result(reserve::total_liquidity(available, borrowed, fees));
    acc.result(reserve::utilization(available, borrowed, fees));
    let (amount, total, supply) = (input.u64(), input.fraction(), input.u64());
    acc.result_u64(reserve::liquidity_to_collateral_floor(amount, total, supply));
    acc.result_u64(reserve::liquidity_to_collateral_ceil(amount, total, supply));
    acc.result_u64(reserve::collateral_to_liquidity_floor(amount, total, supply));
    acc.result_u64(reserve::collateral_to_liquidity_ceil(amount, total, supply));
    let (index, take) = (input.fraction(), input.fraction());
    match reserve::accrue_interest(borrowed, index, apr, slots, take) {
        Ok(a) => {
            acc.fraction(a.borrowed);
            acc.fraction(a.cumulative_index);
            acc.fraction(a.protocol_fee);
            acc.fraction(a.growth);
        }
        Err(e) => acc.error(e),
    }
    let (debt, snapshot, current) = (input.fraction(), input.fraction(), input.fraction());
    acc.result(reserve::rescale_debt_ceil(debt, snapshot, current));
}

fn value_fns(input: &mut Input, acc: &mut Acc) {
    let (amount, price, decimals) = (input.u64(), input.fraction(), input.u8());
    let amount_fraction = input.fraction();
    acc.result_u128(value::pow10(decimals));
    acc.result(value::market_value(amount, price, decimals));
    acc.result(value::market_value_ceil(amount, price, decimals));
    acc.result(value::market_value_of_fraction(amount_fraction, price, decimals));
    acc.result(value::market_value_of_fraction_ceil(amount_fraction, price, decimals));
    acc.result_u64(value::amount_for_value_floor(amount_fraction, price, decimals));
    acc.result_u64(value::amount_for_value_ceil(amount_fraction, price, decimals));
}

fn health_fns(input: &mut Input, acc: &mut Acc) {
    let deposits = [
        DepositPosition {
            value: input.fraction(),
            ltv: input.fraction(),
            liquidation_threshold: input.fraction(),
        },
        DepositPosition {
            value: input.fraction(),
            ltv: input.fraction(),
            liquidation_threshold: input.fraction(),
        },
    ];
    let borrows = [
        BorrowPosition { value: input.fraction(), borrow_factor: input.fraction() },
        BorrowPosition { value: input.fraction(), borrow_factor: input.fraction() },
    ];
    let extra = input.fraction();
    let h = match Health::compute(&deposits, &borrows) {
        Ok(h) => h,
        Err(e) => {
            acc.error(e);
            health::Health::ZERO
        }
    };
    acc.health(&h);
    match h.with_deposit(&deposits[0]).and_then(|h| h.with_borrow(&borrows[1])) {
        Ok(h2) => acc.health(&h2),
        Err(e) => acc.error(e),
    }
    acc.fraction(h.ltv());
    acc.fraction(h.ltv_no_bf());
    acc.fraction(h.unhealthy_ltv());
    acc.fraction(h.allowed_ltv());
    acc.bool(h.is_liquidatable());
    acc.bool(h.is_within_allowed());
    acc.bool(h.can_borrow(extra));
    acc.fraction(h.remaining_borrow_value());
    acc.bool(h.is_bad_debt());
}

fn liquidation_fns(input: &mut Input, acc: &mut Acc) {
    let bonus = BonusConfig {
        min_bonus: input.fraction(),
        max_bonus: input.fraction(),
        bad_debt_bonus: input.fraction(),
        escalation_per_slot: input.fraction(),
    };
    acc.bool(bonus.validate().is_ok());
    let (ltv, unhealthy, ltv_no_bf, slots) =
        (input.fraction(), input.fraction(), input.fraction(), input.u64());
    acc.fraction(liquidation::liquidation_bonus(&bonus, ltv, unhealthy, ltv_no_bf, slots));
    acc.fraction(liquidation::BAD_DEBT_LTV);

    let close = CloseFactorConfig {
        close_factor: input.fraction(),
        max_value_at_once: input.fraction(),
        min_full_liquidation_value: input.fraction(),
        insolvency_ltv: input.fraction(),
    };
    let (total_debt, borrow_value) = (input.fraction(), input.fraction());
    let limit = liquidation::max_repay_value(&close, total_debt, borrow_value, ltv);
    acc.fraction(limit.max_value);
    acc.bool(limit.full_liquidation);
    let borrowed_amount = input.fraction();
    acc.result(liquidation::max_repay_amount(borrowed_amount, borrow_value, limit.max_value));

    let seize = SeizeInput {
        borrowed_amount,
        borrow_value,
        debt_to_settle: input.fraction(),
        incentive: input.fraction(),
        collateral_value: input.fraction(),
        collateral_ctokens: input.u64(),
        full_liquidation: input.bool(),
    };
    match liquidation::settle_and_seize(&seize) {
        Ok(s) => {
            acc.fraction(s.settle);
            acc.u64(s.repay);
            acc.u64(s.seize_ctokens);
        }
        Err(e) => acc.error(e),
    }
    acc.result_u64(liquidation::protocol_fee_ceil(input.u64(), seize.incentive, input.fraction()));
}

fn preliquidation_fns(input: &mut Input, acc: &mut Acc) {
    let p = PreLiquidationParams {
        pre_ltv: input.fraction(),
        liquidation_ltv: input.fraction(),
        close_factor_start: input.fraction(),
        close_factor_end: input.fraction(),
        incentive_start: input.fraction(),
        incentive_end: input.fraction(),
    };
    acc.bool(p.validate().is_ok());
    acc.result(p.max_incentive());
    match p.at(input.fraction()) {
        Some((close_factor, incentive)) => {
            acc.fraction(close_factor);
            acc.fraction(incentive);
        }
        None => acc.u64(1),
    }
}

fn deleverage_fns(input: &mut Input, acc: &mut Acc) {
    let (threshold, slots, per_bps) = (input.fraction(), input.u64(), input.u64());
    let ltv = deleverage::deleverage_ltv(threshold, slots, per_bps);
    acc.fraction(ltv);
    let current = input.fraction();
    acc.bool(deleverage::is_eligible(current, ltv));
    let caps = [input.fraction(), input.fraction(), input.fraction()];
    let cap = deleverage::lowest_penalty_cap(&caps);
    let penalty = deleverage::deleverage_penalty(input.fraction(), current, slots, cap);
    acc.fraction(penalty);
    let repay = input.fraction();
    acc.result(deleverage::penalty_value(repay, penalty));
    acc.result(deleverage::seize_value_floor(repay, penalty));
    acc.result_u64(deleverage::deleverage_amount(input.u64(), input.u64(), input.u64()));
    acc.u64(deleverage::SLOTS_PER_DAY ^ interest::SLOTS_PER_YEAR);
}
