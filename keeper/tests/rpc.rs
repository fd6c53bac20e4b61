//! The JSON-RPC side of the `Cluster` trait against a local HTTP server that answers like a Solana node.

use {
    ballast_interface::state::{AccountKind, Obligation},
    ballast_keeper::{cluster::Cluster, rpc::RpcCluster},
    base64::{engine::general_purpose::STANDARD as BASE64, Engine as _},
    serde_json::{json, Value},
    solana_address::Address,
    std::{
        io::{BufRead, BufReader, Read, Write},
        net::TcpListener,
        sync::{Arc, Mutex},
    },
};

/// Serves `requests` HTTP requests, answering each JSON-RPC call with `answer(method, params)`, and records
/// the calls.
fn serve(requests: usize, answer: fn(&str, &Value) -> Value) -> (String, Arc<Mutex<Vec<Value>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&calls);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.expect("connection");
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).expect("header");
                if line == "\r\n" || line.is_empty() {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().expect("length");
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).expect("body");
            let request: Value = serde_json::from_slice(&body).expect("json");
            let method = request["method"].as_str().expect("method").to_string();
            let result = answer(&method, &request["params"]);
            seen.lock().expect("lock").push(request);
            let reply = json!({ "jsonrpc": "2.0", "id": 1, "result": result }).to_string();
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                reply.len()
            );
            stream.write_all(response.as_bytes()).expect("write");
        }
    });
    (url, calls)
}

fn obligation_bytes(market: u8) -> Vec<u8> {
    let mut data = vec![0u8; Obligation::SIZE];
    data[0] = AccountKind::Obligation as u8;
    data[1] = 1;
    data[8] = market;
    data
}

fn account_json(data: &[u8]) -> Value {
    json!({
        "lamports": 42,
        "data": [BASE64.encode(data), "base64"],
        "owner": ballast_interface::ID.to_string(),
        "executable": false,
        "rentEpoch": 0
    })
}

fn answer(method: &str, _params: &Value) -> Value {
    match method {
        "getSlot" => json!(1234),
        "getAccountInfo" => json!({ "context": { "slot": 1 }, "value": account_json(&obligation_bytes(1)) }),
        "getProgramAccounts" => json!([
            { "pubkey": Address::new_from_array([9; 32]).to_string(), "account": account_json(&obligation_bytes(2)) },
            { "pubkey": Address::new_from_array([3; 32]).to_string(), "account": account_json(&obligation_bytes(3)) }
        ]),
        _ => Value::Null,
    }
}

#[test]
fn reads_slots_accounts_and_filtered_program_accounts() {
    let (url, calls) = serve(3, answer);
    let cluster = RpcCluster::new(&url);
    assert_eq!(cluster.slot().expect("slot"), 1234);

    let account = cluster.account(&Address::new_from_array([5; 32])).expect("account").expect("exists");
    assert_eq!(
        (account.lamports, account.owner, account.data.len()),
        (42, ballast_interface::ID, Obligation::SIZE)
    );
    assert_eq!(account.data[8], 1);

    let found = cluster.program_accounts(AccountKind::Obligation).expect("program accounts");
    let addresses: Vec<Address> = found.iter().map(|(a, _)| *a).collect();
    assert_eq!(addresses, vec![Address::new_from_array([3; 32]), Address::new_from_array([9; 32])], "sorted");
    assert_eq!(found[0].1.data[8], 3);

    let calls = calls.lock().expect("lock");
    let filters = &calls[2]["params"][1]["filters"];
    assert_eq!(calls[2]["params"][0], ballast_interface::ID.to_string());
    assert_eq!(filters[0]["dataSize"], Obligation::SIZE);
    assert_eq!(filters[1]["memcmp"]["offset"], 0);
    assert_eq!(filters[1]["memcmp"]["bytes"], BASE64.encode([AccountKind::Obligation as u8]));
}
