//! `/graphql/ws`: GraphQL subscriptions over WebSocket with the `graphql-transport-ws`
//! protocol. The client authenticates in `connection_init` with
//! `{ "Authorization": "Bearer <access token>" }` (or `authorization`, or `token`); a missing
//! or invalid token closes the socket with 4403, a subscription before the acknowledgement
//! with 4401, an unreadable message with 4400, no `connection_init` within ten seconds with
//! 4408 — the protocol's codes.
//! Nothing is taken from cookies, so another site cannot open a socket in a user's name.
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_graphql::futures_util::{future, SinkExt, StreamExt};
use async_graphql::http::{WebSocketProtocols, WsMessage};
use async_graphql::Data;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::graphql_endpoint::refuse;
use super::AppState;
use crate::access::service_client::{self, CallRefusal};
use crate::access::sign_in;
use crate::error::ApiError;
use crate::graphql::changes::ConnectionToken;

/// The only sub-protocol spoken.
const PROTOCOL: &str = "graphql-transport-ws";
/// How long a client has to send `connection_init`.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// Close codes of `graphql-transport-ws`.
const BAD_REQUEST: u16 = 4400;
const UNAUTHORIZED: u16 = 4401;
const FORBIDDEN: u16 = 4403;
const INIT_TIMED_OUT: u16 = 4408;
const TOO_MANY_REQUESTS: u16 = 4429;

/// Upgrades to a WebSocket speaking `graphql-transport-ws`; anything else is refused.
pub async fn graphql_ws(
    State(state): State<AppState>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    let Ok(upgrade) = upgrade else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "WEBSOCKET_REQUIRED",
            "open a WebSocket here (GET with `Upgrade: websocket`) speaking graphql-transport-ws",
        );
    };
    let offered = headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|protocol| protocol.trim() == PROTOCOL);
    if !offered {
        return refuse(
            StatusCode::BAD_REQUEST,
            "UNSUPPORTED_PROTOCOL",
            "ask for the sub-protocol graphql-transport-ws (Sec-WebSocket-Protocol)",
        );
    }
    // The address is known while the upgrade request is handled, not in the socket's task.
    let address = super::oauth::current_client_address();
    upgrade
        .protocols([PROTOCOL])
        .on_upgrade(move |socket| serve(socket, state, address))
        .into_response()
}

/// Runs one connection until either side closes it.
async fn serve(socket: WebSocket, state: AppState, address: Option<IpAddr>) {
    let (mut sink, stream) = socket.split();
    let input = stream
        .take_while(|message| future::ready(message.is_ok()))
        .filter_map(|message| {
            future::ready(match message {
                Ok(message @ (Message::Text(_) | Message::Binary(_))) => Some(message.into_data()),
                _ => None,
            })
        });
    // The close code to use when the library closes after a refused `connection_init`.
    let refusal = Arc::new(AtomicU16::new(0));
    let initialised = Arc::new(AtomicBool::new(false));
    let schema = state.schema.clone();
    let on_init = {
        let refusal = Arc::clone(&refusal);
        let initialised = Arc::clone(&initialised);
        move |payload: serde_json::Value| async move {
            initialised.store(true, Ordering::SeqCst);
            connection_data(&state, address, &payload)
                .await
                .map_err(|(code, message)| {
                    refusal.store(code, Ordering::SeqCst);
                    async_graphql::Error::new(message)
                })
        }
    };
    let outgoing =
        async_graphql::http::WebSocket::new(schema, input, WebSocketProtocols::GraphQLWS)
            .on_connection_init(on_init)
            .map(|message| match message {
                WsMessage::Text(text) => Message::Text(text.into()),
                WsMessage::Close(code, reason) => {
                    let code = match code {
                        // The library closes a refused `connection_init` or a message it cannot
                        // read with 1002, and a subscription before the acknowledgement with
                        // 1011; the protocol says 4403 (or 4429), 4400 and 4401.
                        1002 => match refusal.load(Ordering::SeqCst) {
                            0 => BAD_REQUEST,
                            refused => refused,
                        },
                        1011 => UNAUTHORIZED,
                        other => other,
                    };
                    close(code, &reason)
                }
            });
    pump(outgoing, &mut sink, &initialised).await;
}

/// Sends the library's messages until it or the client ends, closing with 4408 when no
/// `connection_init` arrives in time.
async fn pump<S>(
    outgoing: S,
    sink: &mut async_graphql::futures_util::stream::SplitSink<WebSocket, Message>,
    initialised: &AtomicBool,
) where
    S: async_graphql::futures_util::Stream<Item = Message>,
{
    let mut outgoing = std::pin::pin!(outgoing);
    let deadline = tokio::time::sleep(INIT_TIMEOUT);
    let mut deadline = std::pin::pin!(deadline);
    loop {
        tokio::select! {
            message = outgoing.next() => {
                let Some(message) = message else { break };
                let closing = matches!(message, Message::Close(_));
                if sink.send(message).await.is_err() || closing {
                    break;
                }
            }
            () = &mut deadline, if !initialised.load(Ordering::SeqCst) => {
                let _ = sink
                    .send(close(INIT_TIMED_OUT, "Connection initialisation timeout"))
                    .await;
                break;
            }
        }
    }
}

fn rate_limited() -> (u16, String) {
    (
        TOO_MANY_REQUESTS,
        "RATE_LIMITED: too many requests from this account; retry in a minute".into(),
    )
}

/// A close frame; the reason is cut to the 123 bytes a frame may carry.
fn close(code: u16, reason: &str) -> Message {
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    Message::Close(Some(CloseFrame {
        code,
        reason: reason[..end].to_string().into(),
    }))
}

/// The connection's data from its `connection_init` payload: the principal of the bearer
/// token, checked like an HTTP request's, and the token for the subscriptions' re-checks.
/// A refusal carries its close code and the reason.
async fn connection_data(
    state: &AppState,
    address: Option<IpAddr>,
    payload: &serde_json::Value,
) -> Result<Data, (u16, String)> {
    let text = |key: &str| payload.get(key).and_then(serde_json::Value::as_str);
    let token = text("Authorization")
        .or_else(|| text("authorization"))
        .map(|value| match value.split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
            _ => value.trim(),
        })
        .or_else(|| text("token").map(str::trim))
        .filter(|token| !token.is_empty())
        .ok_or_else(|| {
            (
                FORBIDDEN,
                "UNAUTHENTICATED: send {\"Authorization\": \"Bearer <access token>\"} in connection_init"
                    .to_string(),
            )
        })?;
    let principal = match sign_in::authenticate(&state.db, &state.tokens, None, token).await {
        Ok(principal) => principal,
        Err(error @ ApiError::Unauthenticated { .. }) => {
            return Err((FORBIDDEN, format!("{}: {}", error.code(), error.message())))
        }
        Err(error) => {
            let code = error.code();
            // Logged by the conversion; the client gets the generic message.
            let error = async_graphql::Error::from(error);
            return Err((1011, format!("{code}: {}", error.message)));
        }
    };
    // A service client: its address allow-list and its own rate limit, as on `/graphql`.
    match service_client::admit(&principal, address, &state.limits) {
        Ok(()) => {}
        Err(refusal @ CallRefusal::AddressNotAllowed(_)) => {
            if let Err(error) =
                service_client::record_refused_call(&state.db, &principal, &refusal).await
            {
                tracing::error!(error = ?error, "cannot audit a refused client call");
            }
            return Err((
                FORBIDDEN,
                "IP_NOT_ALLOWED: this service client may not connect from this address".into(),
            ));
        }
        Err(CallRefusal::RateLimited { .. }) => return Err(rate_limited()),
    }
    if principal.service_client_id.is_none() && !state.limits.allow_request(principal.user_id) {
        return Err(rate_limited());
    }
    let mut data = Data::default();
    data.insert(principal);
    data.insert(ConnectionToken::new(token.to_string()));
    Ok(data)
}
