//! Recently checked sessions, so that a signed-in request on PostgreSQL usually costs no
//! statement for its sign-in check — without giving up "revocation takes effect at once".
//!
//! Every write that can change what a session may do (its revocation, the account, the
//! account's roles, the roles' policy rows) fires `NOTIFY houxu_access` from a statement
//! trigger (migration `m20261207_000016_access_notifications`); PostgreSQL delivers it to every
//! instance when the write commits, and each instance's listener empties its cache. A
//! mutation handled by this instance empties it too, before its response is sent, so the
//! caller's next request never sees the old rights whichever way the race with the
//! notification goes. While the listener is not connected (start-up, a lost connection) the
//! cache is off and every request reads the database — as on SQLite, which has no
//! notifications. Entries also expire after [`SessionCache::ttl`], and a cached session
//! still times out (idle or absolute) by its own clock.
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use lru::LruCache;
use sea_orm::sqlx::postgres::{PgListener, PgPool, PgPoolOptions};

use super::Principal;

/// The channel the triggers notify (`pg_notify('houxu_access', '')`).
pub const CHANNEL: &str = "houxu_access";
/// Sessions kept at most (least recently used dropped first).
const CAPACITY: usize = 10_000;
/// How long the listener waits before connecting again after losing its connection.
const RECONNECT_DELAY: Duration = Duration::from_secs(1);

/// A session as last read from the database.
#[derive(Debug, Clone)]
pub struct CachedSession {
    pub principal: Principal,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    fetched: Instant,
}

impl CachedSession {
    pub fn new(
        principal: Principal,
        created_at: DateTime<Utc>,
        last_used_at: DateTime<Utc>,
    ) -> CachedSession {
        CachedSession {
            principal,
            created_at,
            last_used_at,
            fetched: Instant::now(),
        }
    }
}

/// Whether a read of the database may be kept: the cache's generation when the read began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generation(u64);

struct State {
    /// Moves on every clear, so that a read that began before a change is not stored after it.
    generation: u64,
    /// The listener is connected and listening: only then may anything be served from here.
    listening: bool,
    entries: LruCache<String, CachedSession>,
}

/// The sessions this instance checked recently (see the module documentation).
pub struct SessionCache {
    state: Mutex<State>,
    ttl: Duration,
}

impl SessionCache {
    /// A cache that serves nothing until [`SessionCache::listen`] has connected; `ttl` zero
    /// turns it off for good.
    pub fn new(ttl: Duration) -> SessionCache {
        SessionCache {
            state: Mutex::new(State {
                generation: 0,
                listening: false,
                entries: LruCache::new(NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN)),
            }),
            ttl,
        }
    }

    /// How long an entry is served before the database is read again.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves only a cache behind: empty it and go on.
        self.state.lock().unwrap_or_else(|poisoned| {
            let mut state = poisoned.into_inner();
            state.entries.clear();
            state.generation += 1;
            state
        })
    }

    /// Whether entries are served now (the listener is connected and the cache is on).
    pub fn is_serving(&self) -> bool {
        !self.ttl.is_zero() && self.state().listening
    }

    /// The session's last reading, if it may be used: the cache is serving, the reading is
    /// younger than the time to live and it belongs to `user_id`.
    pub fn get(&self, session_id: &str, user_id: i64) -> Option<CachedSession> {
        if self.ttl.is_zero() {
            return None;
        }
        let mut state = self.state();
        if !state.listening {
            return None;
        }
        let fresh = state
            .entries
            .get(session_id)
            .filter(|entry| entry.fetched.elapsed() < self.ttl)
            .filter(|entry| entry.principal.user_id == user_id)
            .cloned();
        if fresh.is_none() {
            state.entries.pop(session_id);
        }
        fresh
    }

    /// Call before reading a session from the database; `None` when nothing would be kept.
    pub fn begin_read(&self) -> Option<Generation> {
        if self.ttl.is_zero() {
            return None;
        }
        let state = self.state();
        state.listening.then_some(Generation(state.generation))
    }

    /// Keeps a reading of the database begun at `generation`, unless the cache was emptied
    /// since (the reading may predate the change that emptied it).
    pub fn store(&self, generation: Generation, session_id: &str, session: CachedSession) {
        let mut state = self.state();
        if state.listening && state.generation == generation.0 {
            state.entries.put(session_id.to_string(), session);
        }
    }

    /// Records that the session's activity was written to the database at `at`.
    pub fn touched(&self, session_id: &str, at: DateTime<Utc>) {
        if let Some(entry) = self.state().entries.peek_mut(session_id) {
            entry.last_used_at = at;
        }
    }

    /// Forgets every session: something that decides rights may have changed.
    pub fn clear(&self) {
        let mut state = self.state();
        state.entries.clear();
        state.generation += 1;
    }

    fn set_listening(&self, listening: bool) {
        let mut state = self.state();
        state.entries.clear();
        state.generation += 1;
        state.listening = listening;
    }

    /// Listens for `houxu_access` on a connection of its own (a pool of one beside `pool`,
    /// which keeps all its connections for requests) until the cache is dropped, emptying
    /// the cache on every notification. The cache serves only while the listener hears its
    /// own heartbeat: a lost connection, or one that went silent (a proxy or NAT dropping it
    /// without a word), turns it off until listening again — notifications sent meanwhile
    /// are lost, so reconnecting empties it.
    pub fn listen(self: &Arc<Self>, pool: PgPool) {
        if self.ttl.is_zero() {
            return;
        }
        let cache = Arc::downgrade(self);
        let own = PgPoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_lazy_with((*pool.connect_options()).clone());
        tokio::spawn(async move { run_listener(cache, own, pool).await });
    }
}

/// The payload of the heartbeat (the triggers send an empty one).
const HEARTBEAT: &str = "heartbeat";
/// How often the listener notifies itself through the request pool.
const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(5);
/// Silence after which the connection counts as lost (two heartbeats missed).
const HEARTBEAT_DEADLINE: Duration = Duration::from_secs(11);

async fn run_listener(cache: Weak<SessionCache>, own: PgPool, requests: PgPool) {
    loop {
        match PgListener::connect_with(&own).await {
            Ok(mut listener) => {
                // A lost connection ends `try_recv` at once; `follow` connects again itself.
                listener.eager_reconnect(false);
                match listener.listen(CHANNEL).await {
                    Ok(()) => {
                        let Some(alive) = cache.upgrade() else { return };
                        // Listening from here on: whatever was cached before may be stale.
                        alive.set_listening(true);
                        drop(alive);
                        if !follow(&cache, &mut listener, &requests).await {
                            return;
                        }
                    }
                    Err(error) => {
                        tracing::warn!(%error, "cannot LISTEN {CHANNEL}; sessions are not cached")
                    }
                }
            }
            Err(error) => {
                tracing::warn!(%error, "cannot connect to LISTEN {CHANNEL}; sessions are not cached")
            }
        }
        if cache.strong_count() == 0 {
            return;
        }
        tokio::time::sleep(RECONNECT_DELAY).await;
    }
}

/// Empties the cache on each notification and checks the heartbeat. Returns `false` when
/// the cache is gone (stop), `true` when the connection was lost (connect again).
async fn follow(cache: &Weak<SessionCache>, listener: &mut PgListener, requests: &PgPool) -> bool {
    let mut ticker = tokio::time::interval(HEARTBEAT_INTERVAL);
    let mut last_heard = Instant::now();
    loop {
        tokio::select! {
            _ = ticker.tick() => {
                let Some(alive) = cache.upgrade() else { return false };
                if last_heard.elapsed() > HEARTBEAT_DEADLINE {
                    tracing::warn!("LISTEN {CHANNEL} went silent; sessions are not cached until it is back");
                    alive.set_listening(false);
                    return true;
                }
                // A failure shows as silence.
                let _ = sea_orm::sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(HEARTBEAT)
                    .execute(requests)
                    .await;
            }
            received = listener.try_recv() => {
                let Some(alive) = cache.upgrade() else { return false };
                match received {
                    Ok(Some(notification)) => {
                        last_heard = Instant::now();
                        if notification.payload() != HEARTBEAT {
                            alive.clear();
                        }
                    }
                    Ok(None) | Err(_) => {
                        tracing::warn!("lost the LISTEN {CHANNEL} connection; sessions are not cached until it is back");
                        alive.set_listening(false);
                        return true;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persistence::accounts::AccountGrants;
    use crate::persistence::entities::user;

    fn principal(user_id: i64) -> Principal {
        let now = Utc::now();
        let account = user::Model {
            id: user_id,
            username: format!("user{user_id}"),
            display_name: "测试".into(),
            password_hash: String::new(),
            disabled: false,
            must_change_password: false,
            failed_logins: 0,
            locked_until: None,
            password_changed_at: None,
            version: 1,
            created_at: now,
            updated_at: now,
            created_by: None,
            updated_by: None,
        };
        Principal::from_account(
            &account,
            "s1",
            &AccountGrants {
                roles: Vec::new(),
                grants: Vec::new(),
            },
        )
    }

    fn session(user_id: i64) -> CachedSession {
        let now = Utc::now();
        CachedSession::new(principal(user_id), now, now)
    }

    fn listening(ttl: Duration) -> SessionCache {
        let cache = SessionCache::new(ttl);
        cache.set_listening(true);
        cache
    }

    #[test]
    fn nothing_is_served_or_kept_until_the_listener_listens() {
        let cache = SessionCache::new(Duration::from_secs(60));
        assert_eq!(cache.begin_read(), None);
        assert!(!cache.is_serving());
        cache.set_listening(true);
        let generation = cache.begin_read().expect("listening");
        cache.store(generation, "s1", session(7));
        assert!(cache.get("s1", 7).is_some());
        cache.set_listening(false);
        assert!(
            cache.get("s1", 7).is_none(),
            "a lost connection empties and stops it"
        );
    }

    #[test]
    fn a_reading_begun_before_a_clear_is_not_kept() {
        let cache = listening(Duration::from_secs(60));
        let before = cache.begin_read().expect("listening");
        cache.clear();
        cache.store(before, "s1", session(7));
        assert!(cache.get("s1", 7).is_none());
        let after = cache.begin_read().expect("listening");
        cache.store(after, "s1", session(7));
        assert!(cache.get("s1", 7).is_some());
        cache.clear();
        assert!(
            cache.get("s1", 7).is_none(),
            "a clear forgets every session"
        );
    }

    #[test]
    fn an_entry_serves_only_its_own_user_and_only_within_its_time_to_live() {
        let cache = listening(Duration::from_millis(30));
        cache.store(cache.begin_read().expect("listening"), "s1", session(7));
        assert!(
            cache.get("s1", 8).is_none(),
            "another user's token with this session id"
        );
        cache.store(cache.begin_read().expect("listening"), "s1", session(7));
        assert!(cache.get("s1", 7).is_some());
        std::thread::sleep(Duration::from_millis(40));
        assert!(cache.get("s1", 7).is_none(), "expired");
    }

    #[test]
    fn a_zero_time_to_live_turns_the_cache_off() {
        let cache = listening(Duration::ZERO);
        assert_eq!(cache.begin_read(), None);
        assert!(!cache.is_serving());
    }

    #[test]
    fn a_touch_moves_the_cached_activity() {
        let cache = listening(Duration::from_secs(60));
        cache.store(cache.begin_read().expect("listening"), "s1", session(7));
        let later = Utc::now() + chrono::Duration::minutes(2);
        cache.touched("s1", later);
        assert_eq!(cache.get("s1", 7).expect("cached").last_used_at, later);
    }
}
