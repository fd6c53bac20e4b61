//! A LiteSVM cluster for multi-transaction runs: the built program, the real token program, SPL mints and
//! token accounts created by real transactions, and Pyth `PriceUpdateV2` accounts written in their real
//! format. Every keypair comes from a seeded generator, so a run is reproducible address for address.

use {
    ballast_interface::oracle::{PriceUpdate, PYTH_RECEIVER_ID},
    litesvm::{
        types::{FailedTransactionMetadata, TransactionMetadata},
        LiteSVM,
    },
    rand::{RngCore, SeedableRng},
    rand_chacha::ChaCha20Rng,
    solana_account::Account,
    solana_address::Address,
    solana_clock::Clock,
    solana_instruction::Instruction,
    solana_keypair::Keypair,
    solana_message::Message,
    solana_signer::Signer,
    solana_transaction::Transaction,
    std::path::{Path, PathBuf},
};

/// Unix time of slot 0; slots advance the clock at 400 ms each.
pub const GENESIS_UNIX_TIMESTAMP: i64 = 1_700_000_000;
/// Length of an SPL mint account.
pub const MINT_LEN: usize = 82;
/// Length of an SPL token account.
pub const TOKEN_ACCOUNT_LEN: usize = 165;

/// Where `scripts/build-sbf.sh` writes the program.
pub fn default_program_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/deploy/ballast_program.so")
}

/// Reads the amount of an SPL token account.
pub fn token_amount(account: &Account) -> u64 {
    u64::from_le_bytes(account.data[64..72].try_into().expect("token account"))
}

/// Reads the supply of an SPL mint.
pub fn mint_supply(account: &Account) -> u64 {
    u64::from_le_bytes(account.data[36..44].try_into().expect("mint"))
}

pub struct Svm {
    pub svm: LiteSVM,
    pub payer: Keypair,
    /// Compute units of every successful transaction, in order.
    pub compute_units: Vec<(String, u64)>,
    keys: ChaCha20Rng,
}

impl Svm {
    /// A cluster with the program at [`default_program_path`]; panics with the build command when missing.
    pub fn new() -> Self {
        Self::load(&default_program_path(), 0).unwrap_or_else(|e| panic!("{e}"))
    }

    /// A cluster with the program at `program`, whose keypairs derive from `seed`.
    pub fn load(program: &Path, seed: u64) -> Result<Self, String> {
        if !program.is_file() {
            return Err(format!(
                "{} not found: build the program first with `bash scripts/build-sbf.sh`",
                program.display()
            ));
        }
        let mut svm = LiteSVM::new().with_transaction_history(0);
        svm.add_program_from_file(ballast_interface::ID, program)
            .map_err(|e| format!("{}: cannot load the program: {e:?}", program.display()))?;
        let mut keys = ChaCha20Rng::seed_from_u64(seed);
        let payer = keypair_from(&mut keys);
        svm.airdrop(&payer.pubkey(), 1_000_000_000_000).map_err(|e| format!("airdrop: {:?}", e.err))?;
        let mut this = Self { svm, payer, compute_units: Vec::new(), keys };
        this.warp_to_slot(1);
        Ok(this)
    }

    /// The next keypair of the seeded generator.
    pub fn new_keypair(&mut self) -> Keypair {
        keypair_from(&mut self.keys)
    }

    pub fn slot(&self) -> u64 {
        self.svm.get_sysvar::<Clock>().slot
    }

    pub fn unix_timestamp(&self) -> i64 {
        self.svm.get_sysvar::<Clock>().unix_timestamp
    }

    /// Moves to `slot` and advances unix time with it (400 ms per slot).
    pub fn warp_to_slot(&mut self, slot: u64) {
        self.svm.warp_to_slot(slot);
        let mut clock = self.svm.get_sysvar::<Clock>();
        clock.unix_timestamp = GENESIS_UNIX_TIMESTAMP + i64::try_from(slot * 2 / 5).expect("slot fits");
        self.svm.set_sysvar(&clock);
        self.svm.expire_blockhash();
    }

    pub fn warp_slots(&mut self, slots: u64) {
        let slot = self.slot() + slots;
        self.warp_to_slot(slot);
    }

    pub fn new_wallet(&mut self, lamports: u64) -> Keypair {
        let wallet = self.new_keypair();
        self.svm.airdrop(&wallet.pubkey(), lamports).expect("airdrop");
        wallet
    }

    /// Sends `instructions` in one transaction paid by the payer and signed by `signers`.
    #[allow(clippy::result_large_err, reason = "LiteSVM's own result type, returned as LiteSVM gives it")]
    pub fn send(
        &mut self,
        label: &str,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<TransactionMetadata, FailedTransactionMetadata> {
        let payer = self.payer.insecure_clone();
        self.send_paid_by(label, instructions, &payer, signers)
    }

    /// Sends `instructions` in one transaction paid by `payer` and signed by `signers`.
    #[allow(clippy::result_large_err, reason = "LiteSVM's own result type, returned as LiteSVM gives it")]
    pub fn send_paid_by(
        &mut self,
        label: &str,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<TransactionMetadata, FailedTransactionMetadata> {
        let message = Message::new(instructions, Some(&payer.pubkey()));
        let required = &message.account_keys[..usize::from(message.header.num_required_signatures)];
        // Only the keypairs the message needs: signing with any other is an error.
        let mut all_signers: Vec<&Keypair> = vec![payer];
        for signer in signers {
            if signer.pubkey() != payer.pubkey()
                && required.contains(&signer.pubkey())
                && !all_signers.iter().any(|s| s.pubkey() == signer.pubkey())
            {
                all_signers.push(signer);
            }
        }
        let tx = Transaction::new(&all_signers, message, self.svm.latest_blockhash());
        let result = self.svm.send_transaction(tx);
        self.svm.expire_blockhash();
        if let Ok(meta) = &result {
            self.compute_units.push((label.to_string(), meta.compute_units_consumed));
        }
        result
    }

    /// Sends and panics with the logs on failure.
    pub fn must_send(
        &mut self,
        label: &str,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> TransactionMetadata {
        match self.send(label, instructions, signers) {
            Ok(meta) => meta,
            Err(failed) => panic!("{label} failed: {:?}\n{}", failed.err, failed.meta.logs.join("\n")),
        }
    }

    pub fn account(&self, address: &Address) -> Option<Account> {
        self.svm.get_account(address)
    }

    /// Reads a program account as `T`.
    pub fn state<T: bytemuck::Pod>(&self, address: &Address) -> T {
        let account = self.account(address).unwrap_or_else(|| panic!("no account {address}"));
        bytemuck::pod_read_unaligned(&account.data)
    }

    /// A new account of `len` bytes owned by `owner`, created by a system transfer-and-allocate transaction.
    pub fn create_account(&mut self, keypair: &Keypair, len: usize, owner: &Address) {
        let lamports = self.svm.minimum_balance_for_rent_exemption(len);
        let ix = solana_system_interface::instruction::create_account(
            &self.payer.pubkey(),
            &keypair.pubkey(),
            lamports,
            len as u64,
            owner,
        );
        self.must_send("create_account", &[ix], &[keypair]);
    }

    /// A new SPL mint whose mint authority is the payer.
    pub fn create_mint(&mut self, decimals: u8) -> Address {
        let mint = self.new_keypair();
        self.create_account(&mint, MINT_LEN, &spl_token_interface::ID);
        let ix = spl_token_interface::instruction::initialize_mint2(
            &spl_token_interface::ID,
            &mint.pubkey(),
            &self.payer.pubkey(),
            None,
            decimals,
        )
        .expect("initialize_mint2");
        self.must_send("initialize_mint", &[ix], &[]);
        mint.pubkey()
    }

    /// A new SPL token account of `mint` owned by `owner`.
    pub fn create_token_account(&mut self, mint: &Address, owner: &Address) -> Address {
        let account = self.new_keypair();
        self.create_account(&account, TOKEN_ACCOUNT_LEN, &spl_token_interface::ID);
        let ix = spl_token_interface::instruction::initialize_account3(
            &spl_token_interface::ID,
            &account.pubkey(),
            mint,
            owner,
        )
        .expect("initialize_account3");
        self.must_send("initialize_token_account", &[ix], &[]);
        account.pubkey()
    }

    /// Mints `amount` of a payer-controlled mint into `account`.
    pub fn mint_to(&mut self, mint: &Address, account: &Address, amount: u64) {
        let ix = spl_token_interface::instruction::mint_to(
            &spl_token_interface::ID,
            mint,
            account,
            &self.payer.pubkey(),
            &[],
            amount,
        )
        .expect("mint_to");
        self.must_send("mint_to", &[ix], &[]);
    }

    pub fn token_balance(&self, account: &Address) -> u64 {
        token_amount(&self.account(account).expect("token account"))
    }

    pub fn mint_supply(&self, mint: &Address) -> u64 {
        mint_supply(&self.account(mint).expect("mint"))
    }

    /// Writes a fully verified price for `feed_id` at `address`, published now: `price` × 10^`exponent`.
    pub fn set_price(&mut self, address: &Address, feed_id: [u8; 32], price: i64, exponent: i32) {
        let now = self.unix_timestamp();
        let update = PriceUpdate {
            write_authority: Address::new_from_array([9; 32]),
            feed_id,
            price,
            conf: (price / 1_000).unsigned_abs(),
            exponent,
            publish_time: now,
            prev_publish_time: now - 1,
            ema_price: price,
            ema_conf: (price / 1_000).unsigned_abs(),
            posted_slot: self.slot(),
        };
        let data = update.to_account_data().to_vec();
        let account = Account {
            lamports: self.svm.minimum_balance_for_rent_exemption(data.len()),
            data,
            owner: PYTH_RECEIVER_ID,
            executable: false,
            rent_epoch: 0,
        };
        self.svm.set_account(*address, account).expect("set price account");
    }
}

impl Default for Svm {
    fn default() -> Self {
        Self::new()
    }
}

fn keypair_from(rng: &mut ChaCha20Rng) -> Keypair {
    let mut secret = [0u8; 32];
    rng.fill_bytes(&mut secret);
    Keypair::new_from_array(secret)
}
