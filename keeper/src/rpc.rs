//! [`Cluster`] over a Solana JSON-RPC node, with a minimal blocking client: `getSlot`, `getAccountInfo`,
//! `getProgramAccounts` (filtered by size and discriminator), `getLatestBlockhash`, `sendTransaction`,
//! `getSignatureStatuses` and `getTransaction` for the compute units.

use {
    crate::cluster::{Cluster, Receipt},
    ballast_interface::state::{AccountKind, Market, Obligation, Reserve},
    base64::{engine::general_purpose::STANDARD as BASE64, Engine as _},
    serde_json::{json, Value},
    solana_account::Account,
    solana_address::Address,
    solana_hash::Hash,
    solana_instruction::Instruction,
    solana_keypair::Keypair,
    solana_message::Message,
    solana_signer::Signer,
    solana_transaction::Transaction,
    std::time::{Duration, Instant},
};

pub struct RpcCluster {
    url: String,
    agent: ureq::Agent,
    /// How long `send` waits for confirmation.
    pub confirm_timeout: Duration,
}

fn decode_address(text: &str) -> Result<Address, String> {
    let bytes = bs58::decode(text).into_vec().map_err(|e| format!("{text}: {e}"))?;
    let array: [u8; 32] = bytes.try_into().map_err(|_| format!("{text}: not 32 bytes"))?;
    Ok(Address::new_from_array(array))
}

/// Parses a base58 address.
pub fn parse_address(text: &str) -> Result<Address, String> {
    decode_address(text)
}

fn decode_account(value: &Value) -> Result<Account, String> {
    let data = value["data"][0].as_str().ok_or("account data is not base64")?;
    Ok(Account {
        lamports: value["lamports"].as_u64().unwrap_or(0),
        data: BASE64.decode(data).map_err(|e| e.to_string())?,
        owner: decode_address(value["owner"].as_str().ok_or("account without owner")?)?,
        executable: value["executable"].as_bool().unwrap_or(false),
        rent_epoch: value["rentEpoch"].as_u64().unwrap_or(0),
    })
}

impl RpcCluster {
    pub fn new(url: &str) -> Self {
        let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(30)).build();
        Self { url: url.to_string(), agent, confirm_timeout: Duration::from_secs(60) }
    }

    fn call(&self, method: &str, params: Value) -> Result<Value, String> {
        let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
        let text = self
            .agent
            .post(&self.url)
            .set("Content-Type", "application/json")
            .send_string(&body.to_string())
            .map_err(|e| format!("{method}: {e}"))?
            .into_string()
            .map_err(|e| format!("{method}: {e}"))?;
        let response: Value = serde_json::from_str(&text).map_err(|e| format!("{method}: {e}"))?;
        if let Some(error) = response.get("error") {
            return Err(format!("{method}: {error}"));
        }
        Ok(response["result"].clone())
    }

    fn latest_blockhash(&self) -> Result<Hash, String> {
        let result = self.call("getLatestBlockhash", json!([{ "commitment": "confirmed" }]))?;
        let text = result["value"]["blockhash"].as_str().ok_or("no blockhash")?;
        let bytes = bs58::decode(text).into_vec().map_err(|e| e.to_string())?;
        let array: [u8; 32] = bytes.try_into().map_err(|_| "blockhash is not 32 bytes")?;
        Ok(Hash::new_from_array(array))
    }
}

impl Cluster for RpcCluster {
    fn slot(&self) -> Result<u64, String> {
        self.call("getSlot", json!([{ "commitment": "confirmed" }]))?.as_u64().ok_or_else(|| "getSlot".into())
    }

    fn account(&self, address: &Address) -> Result<Option<Account>, String> {
        let result = self.call(
            "getAccountInfo",
            json!([address.to_string(), { "encoding": "base64", "commitment": "confirmed" }]),
        )?;
        match &result["value"] {
            Value::Null => Ok(None),
            value => decode_account(value).map(Some),
        }
    }

    fn program_accounts(&self, kind: AccountKind) -> Result<Vec<(Address, Account)>, String> {
        let size = match kind {
            AccountKind::Market => Market::SIZE,
            AccountKind::Reserve => Reserve::SIZE,
            AccountKind::Obligation => Obligation::SIZE,
            AccountKind::Uninitialized => return Ok(Vec::new()),
        };
        let filters = json!([
            { "dataSize": size },
            { "memcmp": { "offset": 0, "bytes": BASE64.encode([kind as u8]), "encoding": "base64" } }
        ]);
        let result = self.call(
            "getProgramAccounts",
            json!([
                ballast_interface::ID.to_string(),
                { "encoding": "base64", "commitment": "confirmed", "filters": filters }
            ]),
        )?;
        let mut out = Vec::new();
        for entry in result.as_array().ok_or("getProgramAccounts: not a list")? {
            let address = decode_address(entry["pubkey"].as_str().ok_or("no pubkey")?)?;
            out.push((address, decode_account(&entry["account"])?));
        }
        out.sort_by_key(|(address, _)| *address);
        Ok(out)
    }

    fn send(
        &mut self,
        label: &str,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Receipt, String> {
        let payer = signers.first().ok_or("a transaction needs a fee payer")?;
        let message = Message::new(instructions, Some(&payer.pubkey()));
        let tx = Transaction::new(signers, message, self.latest_blockhash()?);
        let bytes = bincode::serialize(&tx).map_err(|e| e.to_string())?;
        let signature = self
            .call(
                "sendTransaction",
                json!([BASE64.encode(bytes), { "encoding": "base64", "preflightCommitment": "confirmed" }]),
            )
            .map_err(|e| format!("{label}: {e}"))?;
        let signature = signature.as_str().ok_or("sendTransaction: no signature")?.to_string();
        let started = Instant::now();
        loop {
            let status = self.call("getSignatureStatuses", json!([[signature]]))?;
            let entry = &status["value"][0];
            if !entry.is_null() {
                if !entry["err"].is_null() {
                    return Err(format!("{label} {signature}: {}", entry["err"]));
                }
                let level = entry["confirmationStatus"].as_str().unwrap_or("");
                if level == "confirmed" || level == "finalized" {
                    break;
                }
            }
            if started.elapsed() > self.confirm_timeout {
                return Err(format!("{label} {signature}: not confirmed in time"));
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        let details = self.call(
            "getTransaction",
            json!([signature, { "encoding": "json", "commitment": "confirmed", "maxSupportedTransactionVersion": 0 }]),
        )?;
        let meta = &details["meta"];
        let logs = meta["logMessages"]
            .as_array()
            .map(|l| l.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        Ok(Receipt { compute_units: meta["computeUnitsConsumed"].as_u64().unwrap_or(0), logs })
    }
}
