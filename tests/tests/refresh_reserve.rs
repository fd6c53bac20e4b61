//! RefreshReserve: interest accrual against ballast-math, the Pyth price conversion and status flags, the end
//! of a deleverage whose total came back to its cap, and each rejection with its own error and every account
//! unchanged.

use {
    ballast_interface::{
        client,
        error::BallastError,
        instruction::BallastInstruction,
        oracle::{PriceUpdate, PRICE_UPDATE_V2_LEN, VERIFICATION_LEVEL_OFFSET},
        pod::{Flag, Le128, Le16, Le64},
        state::{
            DeleverageState, Reserve, DELEVERAGE_BORROW, DELEVERAGE_SUPPLY, PRICE_FULLY_CHECKED, PRICE_LOADED,
        },
    },
    ballast_math::{curve::BorrowRateCurve, reserve::accrue_interest, Fraction},
    ballast_tests::{
        assert_rejected,
        fixtures::{price_update_account, price_update_from, program_account, reserve_state, ReserveKeys},
        mollusk, read_state,
    },
    mollusk_svm::Mollusk,
    mollusk_svm_result::ProgramResult,
    solana_account::Account,
    solana_address::Address,
    solana_instruction::Instruction,
};

const START_SLOT: u64 = 1_000;
const NOW: i64 = 1_700_000_000;

struct Case {
    keys: ReserveKeys,
    reserve: Reserve,
    accounts: Vec<(Address, Account)>,
    slot: u64,
}

/// A reserve last refreshed at `START_SLOT` with 600,000 available and 400,000 borrowed (6 decimals), its
/// price published 10 s before `NOW`, and the clock at `slot`.
fn case(slot: u64) -> Case {
    let keys = ReserveKeys::new();
    let market = Address::new_unique();
    let mut reserve = reserve_state(&keys, &market, 6, Fraction::from_integer(2), START_SLOT);
    reserve.available_amount.set(600_000);
    reserve.borrowed_amount_sf = Le128::new(Fraction::from_integer(400_000).raw());
    reserve.price_timestamp.set(NOW - 100);
    let price = price_update_account(keys.feed_id, 12_345_678, -6, NOW - 10);
    let accounts = vec![(keys.reserve, program_account(&reserve)), (keys.price_update, price)];
    Case { keys, reserve, accounts, slot }
}

impl Case {
    fn mollusk(&self) -> Mollusk {
        let mut mollusk = mollusk();
        mollusk.warp_to_slot(self.slot);
        mollusk.sysvars.clock.unix_timestamp = NOW;
        mollusk
    }

    fn instruction(&self) -> Instruction {
        client::refresh_reserve(&self.keys.reserve, Some(&self.keys.price_update))
    }

    fn set_price(&mut self, update: &PriceUpdate) {
        self.accounts[1].1 = price_update_from(update);
    }

    fn update(&self) -> PriceUpdate {
        PriceUpdate {
            write_authority: Address::new_from_array([9; 32]),
            feed_id: self.keys.feed_id,
            price: 12_345_678,
            conf: 12_345,
            exponent: -6,
            publish_time: NOW - 10,
            prev_publish_time: NOW - 11,
            ema_price: 12_345_678,
            ema_conf: 12_345,
            posted_slot: 0,
        }
    }

    fn run(&self, instruction: &Instruction) -> Reserve {
        let result = self.mollusk().process_instruction(instruction, &self.accounts);
        assert_eq!(result.program_result, ProgramResult::Success);
        println!("RefreshReserve CU: {}", result.compute_units_consumed);
        read_state(&result.resulting_accounts[0].1)
    }

    fn reject(&self, instruction: &Instruction, expected: BallastError) {
        let result = self.mollusk().process_instruction(instruction, &self.accounts);
        assert_rejected(&result, &self.accounts, expected);
    }
}

/// The accrual the program must produce, computed with ballast-math.
fn expected_accrual(reserve: &Reserve, slots: u64) -> ballast_math::reserve::Accrual {
    let points: Vec<(u32, u32)> = reserve.config.borrow_rate_curve
        [..usize::from(reserve.config.curve_point_count)]
        .iter()
        .map(|p| (p.utilization_bps.get(), p.rate_bps.get()))
        .collect();
    let curve = BorrowRateCurve::new(&points).unwrap();
    let utilization = ballast_math::reserve::utilization(
        reserve.available_amount.get(),
        Fraction::from_raw(reserve.borrowed_amount_sf.get()),
        Fraction::from_raw(reserve.protocol_fees_sf.get()),
    )
    .unwrap();
    accrue_interest(
        Fraction::from_raw(reserve.borrowed_amount_sf.get()),
        Fraction::from_raw(reserve.cumulative_borrow_index_sf.get()),
        curve.borrow_rate(utilization),
        slots,
        Fraction::from_bps(u64::from(reserve.config.protocol_take_rate_bps.get())),
    )
    .unwrap()
}

#[test]
fn accrues_interest_and_loads_a_fully_checked_price() {
    let slots = 2 * 86_400;
    let case = case(START_SLOT + slots);
    let after = case.run(&case.instruction());

    let accrual = expected_accrual(&case.reserve, slots);
    assert!(accrual.growth > Fraction::ONE);
    assert_eq!(after.borrowed_amount_sf.get(), accrual.borrowed.raw());
    assert_eq!(after.cumulative_borrow_index_sf.get(), accrual.cumulative_index.raw());
    assert_eq!(after.protocol_fees_sf.get(), accrual.protocol_fee.raw());
    assert_eq!(after.last_update_slot.get(), START_SLOT + slots);
    // 12345678 × 10^-6 = 12.345678, rounded down to 60 fractional bits.
    let expected_price = Fraction::from_integer(12_345_678).checked_div_int(1_000_000).unwrap();
    assert_eq!(after.price_sf.get(), expected_price.raw());
    assert!((Fraction::from_raw(after.price_sf.get()).to_f64() - 12.345678).abs() < 1e-12);
    assert_eq!(after.price_timestamp.get(), NOW - 10);
    assert_eq!(after.price_status, PRICE_LOADED | PRICE_FULLY_CHECKED);

    // Nothing else moved.
    let mut expected = case.reserve;
    expected.borrowed_amount_sf = after.borrowed_amount_sf;
    expected.cumulative_borrow_index_sf = after.cumulative_borrow_index_sf;
    expected.protocol_fees_sf = after.protocol_fees_sf;
    expected.last_update_slot = after.last_update_slot;
    expected.price_sf = after.price_sf;
    expected.price_timestamp = after.price_timestamp;
    expected.price_status = after.price_status;
    assert_eq!(after, expected);
}

#[test]
fn accrues_over_a_year_without_a_price() {
    let slots = ballast_math::interest::SLOTS_PER_YEAR;
    let case = case(START_SLOT + slots);
    let after = case.run(&client::refresh_reserve(&case.keys.reserve, None));
    let accrual = expected_accrual(&case.reserve, slots);
    assert_eq!(after.borrowed_amount_sf.get(), accrual.borrowed.raw());
    assert_eq!(after.cumulative_borrow_index_sf.get(), accrual.cumulative_index.raw());
    assert_eq!(after.protocol_fees_sf.get(), accrual.protocol_fee.raw());
    // Without a price the status is cleared, the stored price kept.
    assert_eq!(after.price_status, 0);
    assert_eq!(after.price_sf, case.reserve.price_sf);
    assert_eq!(after.price_timestamp, case.reserve.price_timestamp);
    assert_eq!(after.last_update_slot.get(), START_SLOT + slots);
}

#[test]
fn a_refresh_in_the_same_slot_accrues_nothing() {
    let case = case(START_SLOT);
    let after = case.run(&case.instruction());
    assert_eq!(after.borrowed_amount_sf, case.reserve.borrowed_amount_sf);
    assert_eq!(after.cumulative_borrow_index_sf, case.reserve.cumulative_borrow_index_sf);
    assert_eq!(after.protocol_fees_sf, case.reserve.protocol_fees_sf);
}

#[test]
fn converts_positive_and_zero_exponents() {
    let mut case = case(START_SLOT + 1);
    let mut update = case.update();
    update.price = 7;
    update.conf = 0;
    update.ema_price = 7;
    update.exponent = 3;
    case.set_price(&update);
    assert_eq!(case.run(&case.instruction()).price_sf.get(), Fraction::from_integer(7_000).raw());

    update.exponent = 0;
    case.set_price(&update);
    assert_eq!(case.run(&case.instruction()).price_sf.get(), Fraction::from_integer(7).raw());

    update.exponent = -18;
    update.price = 1_500_000_000_000_000_000;
    update.ema_price = update.price;
    case.set_price(&update);
    let price = case.run(&case.instruction()).price_sf.get();
    assert_eq!(
        price,
        Fraction::from_integer(update.price as u64).checked_div_int(10u64.pow(18)).unwrap().raw()
    );
}

#[test]
fn soft_checks_load_the_price_without_full_check() {
    // Confidence 2.01% of the price with a 2% limit.
    let mut case = case(START_SLOT + 1);
    let mut update = case.update();
    update.price = 1_000_000;
    update.ema_price = 1_000_000;
    update.conf = 20_100;
    case.set_price(&update);
    let after = case.run(&case.instruction());
    assert_eq!(after.price_status, PRICE_LOADED);
    assert_eq!(after.price_sf.get(), Fraction::ONE.raw());

    // Exactly at the limit passes.
    update.conf = 20_000;
    case.set_price(&update);
    assert_eq!(case.run(&case.instruction()).price_status, PRICE_LOADED | PRICE_FULLY_CHECKED);

    // The EMA 5.01% away from the price with a 5% limit.
    update.conf = 0;
    update.ema_price = 952_290;
    case.set_price(&update);
    assert_eq!(case.run(&case.instruction()).price_status, PRICE_LOADED);
    update.ema_price = 1_052_632;
    case.set_price(&update);
    assert_eq!(case.run(&case.instruction()).price_status, PRICE_LOADED);
    // 5% exactly.
    update.ema_price = 1_000_000 * 100 / 105 + 1;
    case.set_price(&update);
    assert_eq!(case.run(&case.instruction()).price_status, PRICE_LOADED | PRICE_FULLY_CHECKED);

    // A non-positive EMA cannot vouch for the price.
    update.ema_price = 0;
    case.set_price(&update);
    assert_eq!(case.run(&case.instruction()).price_status, PRICE_LOADED);
}

#[test]
fn accepts_the_oldest_allowed_and_an_equal_publish_time() {
    let mut case = case(START_SLOT + 1);
    let mut update = case.update();
    update.publish_time = NOW - 60;
    case.set_price(&update);
    assert_eq!(case.run(&case.instruction()).price_timestamp.get(), NOW - 60);

    case.reserve.price_timestamp.set(NOW - 60);
    case.accounts[0].1 = program_account(&case.reserve);
    assert_eq!(case.run(&case.instruction()).price_timestamp.get(), NOW - 60);
}

#[test]
fn rejects_a_price_account_not_owned_by_pyth() {
    let mut case = case(START_SLOT + 1);
    case.accounts[1].1.owner = Address::new_unique();
    case.reject(&case.instruction(), BallastError::InvalidOracleOwner);
}

#[test]
fn rejects_a_wrong_discriminator_or_size() {
    let mut case = case(START_SLOT + 1);
    case.accounts[1].1.data[0] ^= 1;
    case.reject(&case.instruction(), BallastError::InvalidOracleAccount);

    let mut case = self::case(START_SLOT + 1);
    case.accounts[1].1.data.truncate(PRICE_UPDATE_V2_LEN - 1);
    case.reject(&case.instruction(), BallastError::InvalidOracleAccount);
}

#[test]
fn rejects_a_partially_verified_update() {
    let mut case = case(START_SLOT + 1);
    // `Partial { num_signatures }`: tag 0 followed by one byte.
    case.accounts[1].1.data[VERIFICATION_LEVEL_OFFSET] = 0;
    case.reject(&case.instruction(), BallastError::OracleNotFullyVerified);
}

#[test]
fn rejects_another_feed() {
    let mut case = case(START_SLOT + 1);
    let mut update = case.update();
    update.feed_id[31] ^= 1;
    case.set_price(&update);
    case.reject(&case.instruction(), BallastError::OracleFeedMismatch);
}

#[test]
fn rejects_a_too_old_price() {
    let mut case = case(START_SLOT + 1);
    let mut update = case.update();
    update.publish_time = NOW - 61;
    case.set_price(&update);
    case.reject(&case.instruction(), BallastError::OraclePriceTooOld);
}

#[test]
fn rejects_a_price_older_than_the_stored_one() {
    let mut case = case(START_SLOT + 1);
    case.reserve.price_timestamp.set(NOW - 9);
    case.accounts[0].1 = program_account(&case.reserve);
    case.reject(&case.instruction(), BallastError::OraclePriceTooOld);
}

#[test]
fn rejects_a_non_positive_price_or_an_exponent_out_of_range() {
    for (price, exponent) in [(0i64, -6i32), (-5, -6), (1, -19), (1, 19), (i64::MAX, 18)] {
        let mut case = case(START_SLOT + 1);
        let mut update = case.update();
        update.price = price;
        update.exponent = exponent;
        case.set_price(&update);
        case.reject(&case.instruction(), BallastError::OraclePriceInvalid);
    }
}

#[test]
fn rejects_a_reserve_not_owned_by_the_program_or_read_only() {
    let mut case = case(START_SLOT + 1);
    case.accounts[0].1.owner = Address::new_unique();
    case.reject(&case.instruction(), BallastError::InvalidAccountOwner);

    let case = self::case(START_SLOT + 1);
    let mut ix = case.instruction();
    ix.accounts[0].is_writable = false;
    case.reject(&ix, BallastError::AccountNotWritable);
}

#[test]
fn rejects_another_account_type_as_the_reserve() {
    let mut case = case(START_SLOT + 1);
    case.accounts[0].1.data[0] = 1;
    case.reject(&case.instruction(), BallastError::InvalidAccountDiscriminator);
}

#[test]
fn rejects_a_corrupted_curve() {
    let mut case = case(START_SLOT + 1);
    case.reserve.config.curve_point_count = 1;
    case.accounts[0].1 = program_account(&case.reserve);
    case.reject(&case.instruction(), BallastError::InvalidBorrowRateCurve);
}

#[test]
fn rejects_missing_accounts_and_arguments() {
    let case = case(START_SLOT + 1);
    let mut ix = case.instruction();
    ix.data.push(0);
    case.reject(&ix, BallastError::InvalidInstructionDataLength);

    let mut ix = case.instruction();
    ix.accounts.clear();
    ix.data = vec![BallastInstruction::RefreshReserve as u8];
    let result = case.mollusk().process_instruction(&ix, &[]);
    assert_rejected(&result, &[], BallastError::NotEnoughAccounts);
}

#[test]
fn an_unchecked_confidence_bound_config_still_requires_the_limits() {
    // A stored max confidence of 10,000 bps accepts any confidence up to the price itself.
    let mut case = case(START_SLOT + 1);
    case.reserve.config.max_confidence_bps = Le16::new(10_000);
    case.accounts[0].1 = program_account(&case.reserve);
    let mut update = case.update();
    update.conf = update.price as u64;
    case.set_price(&update);
    assert_eq!(case.run(&case.instruction()).price_status, PRICE_LOADED | PRICE_FULLY_CHECKED);
    update.conf += 1;
    case.set_price(&update);
    assert_eq!(case.run(&case.instruction()).price_status, PRICE_LOADED);
}

/// The case with a deleverage running on `side` whose cap is `cap` tokens.
fn under_deleverage(slot: u64, side: usize, cap: u64, active: Flag) -> Case {
    let mut case = case(slot);
    case.reserve.deleverage[side] = DeleverageState {
        active,
        target_cap: Le64::new(cap),
        start_slot: Le64::new(1),
        margin_call_end_slot: Le64::new(2),
        slots_per_bps: Le64::new(1),
        ..DeleverageState::default()
    };
    case.accounts[0].1 = program_account(&case.reserve);
    case
}

#[test]
fn ends_a_deleverage_whose_total_is_at_or_under_its_cap() {
    // Supply side: the total is 1,000,000, no interest in the same slot.
    let case = under_deleverage(START_SLOT, DELEVERAGE_SUPPLY, 1_000_000, Flag::ON);
    let reserve = case.run(&case.instruction());
    assert_eq!(reserve.deleverage[DELEVERAGE_SUPPLY], DeleverageState::default());
    // Borrow side: 400,000 borrowed.
    let case = under_deleverage(START_SLOT, DELEVERAGE_BORROW, 400_000, Flag::ON);
    let reserve = case.run(&case.instruction());
    assert_eq!(reserve.deleverage[DELEVERAGE_BORROW], DeleverageState::default());
    // Without a price account too: the observation needs no price.
    let reserve = case.run(&client::refresh_reserve(&case.keys.reserve, None));
    assert_eq!(reserve.deleverage[DELEVERAGE_BORROW], DeleverageState::default());
}

#[test]
fn keeps_a_deleverage_whose_total_is_above_its_cap() {
    let case = under_deleverage(START_SLOT, DELEVERAGE_SUPPLY, 999_999, Flag::ON);
    let reserve = case.run(&case.instruction());
    assert_eq!(reserve.deleverage, case.reserve.deleverage);
    // Interest lifts the borrowed total over a cap it was at.
    let case = under_deleverage(START_SLOT + 100_000, DELEVERAGE_BORROW, 400_000, Flag::ON);
    let reserve = case.run(&case.instruction());
    assert!(Fraction::from_raw(reserve.borrowed_amount_sf.get()) > Fraction::from_integer(400_000));
    assert_eq!(reserve.deleverage, case.reserve.deleverage);
}

#[test]
fn leaves_a_corrupted_deleverage_flag_for_deleverage_to_refuse() {
    let case = under_deleverage(START_SLOT, DELEVERAGE_SUPPLY, 1_000_000, Flag(2));
    let reserve = case.run(&case.instruction());
    assert_eq!(reserve.deleverage, case.reserve.deleverage);
}
