//! The objection form's guard against scripted floods, without any third-party service: a small
//! arithmetic question whose answer the form carries only as an HMAC (so the server keeps no state
//! per form, and any server process of the installation can check it), valid for two hours and
//! usable once; plus a limit per sender address (repo::objections::OBJECTIONS_PER_HOUR).
//!
//! Why a question and not proof-of-work: the public portal must work with JavaScript off and on
//! the cheapest phones a villager has; a question costs them a second, a proof-of-work would need
//! scripts and drain old batteries. A determined script can answer it, which is what the address
//! limit and the staff's answer to every objection are for.
use crate::{
    model::transparency::Challenge,
    server::db::{Db, sql},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, KeyInit, Mac};
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

/// How long an issued question may be answered, in seconds.
pub const VALID_SECS: i64 = 2 * 3600;

const READ: &str = "SELECT value FROM server_secret WHERE name = 'challenge'";
const CREATE: &str = "INSERT INTO server_secret (name, value) VALUES ('challenge', $1) \
     ON CONFLICT (name) DO NOTHING";

/// The installation's signing key, made on first use and kept in the database.
async fn secret(db: &Db) -> Result<Vec<u8>, sqlx::Error> {
    static KEY: OnceCell<Vec<u8>> = OnceCell::const_new();
    KEY.get_or_try_init(|| async {
        let mut fresh = [0u8; 32];
        rand::rng().fill_bytes(&mut fresh);
        let mut tx = db.begin_write().await?;
        sql(CREATE).bind(fresh.to_vec()).execute(&mut tx).await?;
        let key: Vec<u8> = sql(READ).scalar(&mut tx).await?;
        tx.commit().await?;
        Ok(key)
    })
    .await
    .cloned()
}

fn mac(key: &[u8], payload: &str, answer: i64) -> String {
    // HMAC takes keys of any length.
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("any key length");
    m.update(format!("{payload}|{answer}").as_bytes());
    URL_SAFE_NO_PAD.encode(m.finalize().into_bytes())
}

/// A new question for the objection form of notice `notice`.
pub async fn issue(db: &Db, notice: i64, now: i64) -> Result<Challenge, sqlx::Error> {
    let key = secret(db).await?;
    let mut rng = rand::rng();
    let (a, b) = (rng.random_range(2..=19), rng.random_range(2..=19));
    // Base64, not hex: a hex nonce is all digits often enough (about once in a hundred) to
    // read as a phone number to whoever scans the page for one, as the privacy test does.
    let nonce = URL_SAFE_NO_PAD.encode(rng.random::<u64>().to_le_bytes());
    let payload = format!("{notice}.{}.{nonce}", now + VALID_SECS);
    let token = format!("{payload}.{}", mac(&key, &payload, a + b));
    Ok(Challenge { a, b, token })
}

/// Checks an answer to a question issued for notice `notice`: `Ok` with the token's hash (stored
/// with the objection, so each answered question files one objection), or the message code.
pub async fn verify(
    db: &Db,
    notice: i64,
    token: &str,
    answer: &str,
    now: i64,
) -> Result<Result<String, &'static str>, sqlx::Error> {
    let key = secret(db).await?;
    let mut parts = token.rsplitn(2, '.');
    let (Some(sig), Some(payload)) = (parts.next(), parts.next()) else {
        return Ok(Err("challenge_expired"));
    };
    let mut fields = payload.split('.');
    let for_notice = fields.next().and_then(|n| n.parse::<i64>().ok());
    let expires = fields.next().and_then(|e| e.parse::<i64>().ok());
    if for_notice != Some(notice) || expires.is_none_or(|e| e < now) {
        return Ok(Err("challenge_expired"));
    }
    let Ok(answer) = answer.trim().parse::<i64>() else {
        return Ok(Err("answer_wrong"));
    };
    // Constant-time comparison of the signatures.
    let expected = mac(&key, payload, answer);
    let same = expected.len() == sig.len()
        && expected
            .bytes()
            .zip(sig.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0;
    if !same {
        return Ok(Err("answer_wrong"));
    }
    Ok(Ok(hex(&Sha256::digest(token.as_bytes())[..16])))
}

/// The key an address's objections are counted under: a keyed hash, so the table holds no
/// addresses.
pub async fn address_key(db: &Db, address: &str) -> Result<String, sqlx::Error> {
    let key = secret(db).await?;
    Ok(mac(&key, address, 0))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
