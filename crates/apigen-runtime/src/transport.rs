//! The transport: one shared HTTP client plus retries, pacing, timeouts and
//! the body cap, for every request of a generated client.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::{HeaderName, HeaderValue, StatusCode};
use tokio::time::Instant;
use tracing::{Instrument, Span, debug, field};

use crate::attempt::{self, AttemptLimits};
use crate::auth::{self, AuthFailure, Credential};
use crate::config::{BuildError, ClientConfig};
use crate::error::{RequestError, RequestErrorKind};
use crate::operation::OperationInfo;
use crate::pacing::{Admission, Pacer, PacingClock, Permit};
use crate::prepare::{Prepared, build_request, prepare};
use crate::ratelimit::RateLimitInfo;
use crate::request::{ApiRequest, RequestParts};
use crate::response::{RawResponse, ResponseMeta};
use crate::retry::{PlanContext, RetryPolicy, RetryReason, plan_for_status, retry_reason_for_failure};
use crate::stats::{Counters, TransportStats};

/// A call in flight: its state, on the heap.
pub(crate) type Call = Pin<Box<dyn Future<Output = Result<RawResponse, RequestError>> + Send>>;

/// Sends requests of generated clients.
///
/// `Clone + Send + Sync`: clones share one connection pool, the rate-limit
/// pacing state and the statistics, so a program should build one transport
/// and clone it freely. `Debug` redacts the credential.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    config: ClientConfig,
    client: reqwest::Client,
    /// The credential header, with its value marked sensitive.
    credential: Option<(HeaderName, HeaderValue)>,
    /// The API-version header and its default value.
    api_version: Option<(HeaderName, HeaderValue)>,
    /// The headers of the configured credentials that never change.
    fixed_auth: auth::FixedHeaders,
    pacer: Pacer,
    counters: Counters,
}

impl Transport {
    /// Builds the HTTP client and validates the configured headers.
    ///
    /// Redirects are not followed: an API answer that redirects is returned
    /// as it is, and the credential is never sent to another location.
    pub fn new(config: ClientConfig) -> Result<Self, BuildError> {
        let credential = match &config.credential {
            Some((name, secret)) => {
                let header = header_name(name)?;
                let mut value = HeaderValue::from_str(secret.expose_secret())
                    .map_err(|_| BuildError::InvalidHeaderValue { name })?;
                value.set_sensitive(true);
                Some((header, value))
            }
            None => None,
        };
        let api_version = match &config.api_version {
            Some((name, value)) => Some((
                header_name(name)?,
                HeaderValue::from_str(value).map_err(|_| BuildError::InvalidHeaderValue { name })?,
            )),
            None => None,
        };
        let user_agent = HeaderValue::from_str(&config.user_agent)
            .map_err(|_| BuildError::InvalidHeaderValue { name: "user-agent" })?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.timeouts.connect())
            .user_agent(user_agent)
            .redirect(reqwest::redirect::Policy::none());
        for (scheme, credential) in &config.auth {
            if let Credential::ClientIdentity(pem) = credential {
                let identity =
                    reqwest::Identity::from_pem(pem.expose_secret()).map_err(|err| BuildError::InvalidIdentity {
                        scheme,
                        reason: err.to_string(),
                    })?;
                builder = builder.identity(identity);
            }
        }
        let client = builder.build().map_err(BuildError::Client)?;
        let pacer = Pacer::new(config.pacing_cap);
        let fixed_auth = auth::FixedHeaders::new(&config.auth);
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                client,
                credential,
                api_version,
                fixed_auth,
                pacer,
                counters: Counters::default(),
            }),
        })
    }

    /// The configuration this transport was built from.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// What this transport and its clones have done so far.
    pub fn stats(&self) -> TransportStats {
        self.inner.counters.snapshot()
    }

    /// Sends the request (with retries, pacing, timeouts and the body cap)
    /// and returns the final response, whatever its status. Only
    /// transport-level failures are errors.
    ///
    /// Tracing: one `apigen_request` span per call (operation id, method,
    /// path template, final status, attempts) and one `apigen_attempt` span
    /// per attempt (attempt number, time waited before it, status). Neither
    /// records headers, query strings or bodies.
    ///
    /// The returned future holds the call's state on the heap, in one
    /// allocation: that state is a few kilobytes, and a future that large
    /// held inline is copied whole each time an enclosing future is built or
    /// moved, which showed as a measurable share of the cost per request.
    pub fn execute(
        &self,
        request: ApiRequest,
    ) -> impl Future<Output = Result<RawResponse, RequestError>> + Send + 'static {
        self.clone().call(request)
    }

    /// [`execute`](Self::execute) as a named future that owns its clone of
    /// the transport.
    pub(crate) fn call(self, request: ApiRequest) -> Call {
        // The span is made on the first poll, as the call starts, so that it
        // has the parent span of whoever awaits the call.
        Box::pin(async move {
            let op = request.operation();
            let span = tracing::info_span!(
                "apigen_request",
                operation = op.id,
                method = op.method.as_str(),
                path = op.path_template,
                status = field::Empty,
                attempts = field::Empty,
            );
            self.execute_in_span(request.into_parts()).instrument(span).await
        })
    }

    async fn execute_in_span(&self, parts: RequestParts) -> Result<RawResponse, RequestError> {
        let inner = &*self.inner;
        inner.counters.request();
        let op = parts.operation;
        let total = parts.options.total_timeout.unwrap_or(inner.config.timeouts.total());
        let deadline = Instant::now() + total;
        let chosen = auth::choose(parts.security, &inner.config.auth).map_err(|e| finish_err(auth_error(op, e), 0))?;
        // A token source gets one chance to replace a token the server refused.
        let mut refresh = false;
        loop {
            let applied = auth::apply(&chosen, &inner.fixed_auth, refresh)
                .await
                .map_err(|e| finish_err(auth_error(op, e), 0))?;
            let prepare_again = || {
                prepare(
                    &inner.config.base_url,
                    inner.api_version.as_ref(),
                    inner.credential.as_ref(),
                    &applied,
                    &parts,
                )
            };
            let prepared = prepare_again().map_err(|e| finish_err(e, 0))?;
            // The URL errors show; the first attempt's request takes the
            // prepared URL, so a failure prepares it again (which gives the
            // same URL) rather than every call keeping a copy.
            let shown_url = || prepare_again().map(|again| again.redacted_url().to_owned()).ok();
            let result = self
                .run_attempts(&parts, prepared, &prepare_again, total, deadline)
                .await
                .map_err(|e| match shown_url() {
                    Some(url) => e.with_url(&url),
                    None => e,
                });
            match result {
                Ok(raw) if raw.status() == StatusCode::UNAUTHORIZED && applied.from_token_source && !refresh => {
                    debug!("401 with a token from a token source: refreshing the token and trying once more");
                    refresh = true;
                }
                other => return other,
            }
        }
    }

    /// Sends one prepared request with retries and pacing until a final
    /// response or error.
    async fn run_attempts(
        &self,
        parts: &RequestParts,
        first: Prepared,
        prepare_again: &(dyn Fn() -> Result<Prepared, RequestError> + Sync),
        total: Duration,
        deadline: Instant,
    ) -> Result<RawResponse, RequestError> {
        let inner = &*self.inner;
        let op = parts.operation;
        let policy = parts.options.retry.as_ref().unwrap_or(&inner.config.retry);
        let mut waited = Duration::ZERO;
        let mut attempt: u32 = 0;
        let mut first = Some(first);

        // Bounded by `max_attempts`: every path through the body either
        // returns or increments `attempt` and continues.
        loop {
            attempt += 1;
            let permit = if inner.config.pacing {
                let (permit, paced) = self
                    .pace(op, policy, deadline)
                    .await
                    .map_err(|e| finish_err(e, attempt - 1))?;
                waited += paced;
                permit
            } else {
                Permit::none(&inner.pacer)
            };
            let started = Instant::now();
            if started >= deadline {
                return Err(finish_err(
                    RequestError::new(
                        op,
                        RequestErrorKind::Timeout,
                        format!("total timeout of {total:?} elapsed before attempt {attempt}"),
                    ),
                    attempt - 1,
                ));
            }
            let attempt_timeout = inner.config.timeouts.attempt();
            let deadline_is_total = started + attempt_timeout >= deadline;
            let limits = AttemptLimits {
                deadline: if deadline_is_total {
                    deadline
                } else {
                    started + attempt_timeout
                },
                deadline_is_total,
                timeout: if deadline_is_total { total } else { attempt_timeout },
                max_body: inner.config.max_response_bytes,
            };
            let attempt_span = tracing::debug_span!(
                "apigen_attempt",
                attempt,
                waited_ms = duration_ms(waited),
                status = field::Empty,
            );
            inner.counters.attempt(attempt > 1);
            // The first attempt sends what was prepared; a retry prepares the
            // same request again, so the usual single attempt copies nothing.
            let prepared = match first.take() {
                Some(prepared) => prepared,
                None => prepare_again().map_err(|e| finish_err(e, attempt - 1))?,
            };
            let request = build_request(prepared, parts);
            let pacer_margin = inner.config.pacing_margin;
            let pacing = inner.config.pacing;
            let on_head = |status: StatusCode, info: &RateLimitInfo| {
                Span::current().record("status", status.as_u16());
                if status == StatusCode::TOO_MANY_REQUESTS {
                    inner.counters.rate_limited();
                }
                if pacing {
                    let clock = PacingClock::new(pacer_margin, policy.max_rate_limit_wait());
                    inner.pacer.observe(op, status, info, &clock);
                }
                // The server has counted the request once its head is back, and
                // the announcement above already says what is left.
                drop(permit);
            };
            let outcome = attempt::run(&inner.client, op, request, &limits, on_head)
                .instrument(attempt_span)
                .await;
            let retries_left = attempt < policy.max_attempts();

            match outcome {
                Ok(exchange) => {
                    let plan = if retries_left {
                        let ctx = PlanContext {
                            method: op.method,
                            per_call_non_idempotent: parts.options.retry_non_idempotent,
                            now: SystemTime::now(),
                            retry: attempt,
                            unit: rand::random(),
                            jitter_unit: rand::random(),
                        };
                        plan_for_status(policy, &ctx, exchange.status, &exchange.rate_limit)
                    } else {
                        None
                    };
                    if let Some(plan) = plan {
                        // Pacing may add up to twice its margin after the wait, and a
                        // retry that pacing would then refuse is worse than returning
                        // this response now.
                        let slack = if pacing {
                            inner.config.pacing_margin * 2
                        } else {
                            Duration::ZERO
                        };
                        if Instant::now() + plan.delay + slack < deadline {
                            self.wait_before_retry(plan.delay, plan.reason, Some(exchange.status))
                                .await;
                            waited = plan.delay;
                            continue;
                        }
                        debug!(
                            status = exchange.status.as_u16(),
                            wait_ms = duration_ms(plan.delay),
                            "not retrying: the wait would exceed the total timeout"
                        );
                    }
                    let span = Span::current();
                    span.record("status", exchange.status.as_u16());
                    span.record("attempts", attempt);
                    debug!(
                        status = exchange.status.as_u16(),
                        attempts = attempt,
                        "request finished"
                    );
                    let decode_policy = parts.options.decode_policy.unwrap_or(inner.config.decode_policy);
                    let meta = ResponseMeta::new(op, exchange.status, exchange.headers, exchange.rate_limit, attempt)
                        .with_decode_policy(decode_policy);
                    return Ok(RawResponse::new(meta, exchange.body));
                }
                Err(failure) => {
                    let reason =
                        retry_reason_for_failure(failure.class, policy, op, parts.options.retry_non_idempotent);
                    if let (Some(reason), true) = (reason, retries_left) {
                        let delay = policy.backoff(attempt, rand::random());
                        if Instant::now() + delay < deadline {
                            debug!(error = %failure.error, "attempt failed");
                            self.wait_before_retry(delay, reason, failure.error.status()).await;
                            waited = delay;
                            continue;
                        }
                    }
                    return Err(finish_err(failure.error, attempt));
                }
            }
        }
    }

    /// Waits until no announced rate-limit window blocks `op` and its
    /// scopes' announced budgets have room for it, and returns the permit to
    /// send it with and how long that took. Fails without sending when the
    /// wait would end after the call's deadline.
    async fn pace(
        &self,
        op: &'static OperationInfo,
        policy: &RetryPolicy,
        deadline: Instant,
    ) -> Result<(Permit<'_>, Duration), RequestError> {
        let inner = &*self.inner;
        let mut waited = Duration::ZERO;
        let mut waited_for_room = Duration::ZERO;
        // Each round sleeps until a blocking instant that lies in the future
        // or until a permit is released; the deadline check bounds the rounds
        // in time, and the round limit bounds them in count even if
        // announcements keep coming.
        for _ in 0..MAX_PACING_ROUNDS {
            let room = inner.pacer.room_changed();
            tokio::pin!(room);
            room.as_mut().enable();
            let now = Instant::now();
            match inner.pacer.admit(op, now.into_std()) {
                Admission::Go(permit) => {
                    if !waited_for_room.is_zero() {
                        inner.counters.paced(waited_for_room);
                    }
                    return Ok((permit, waited + waited_for_room));
                }
                Admission::Blocked(ready) => {
                    // Each waiter adds its own jitter so that requests held back by
                    // the same announcement do not all arrive at the same instant.
                    let jitter = inner.config.pacing_margin.mul_f64(rand::random::<f64>());
                    let wake = Instant::from_std(ready) + jitter;
                    if wake > deadline {
                        return Err(RequestError::new(
                            op,
                            RequestErrorKind::RateLimited,
                            format!(
                                "the announced rate-limit window resets in {:?}, after the total timeout; \
                                 the request was not sent (longest honoured wait: {:?})",
                                wake - now,
                                policy.max_rate_limit_wait()
                            ),
                        ));
                    }
                    debug!(
                        wait_ms = duration_ms(wake - now),
                        "pacing: waiting for the rate-limit reset"
                    );
                    tokio::time::sleep_until(wake).await;
                    let slept = wake - now;
                    inner.counters.paced(slept);
                    waited += slept;
                }
                Admission::Full(recheck) => {
                    let wake = recheck.map_or(deadline, |at| Instant::from_std(at).min(deadline));
                    tokio::select! {
                        () = &mut room => {}
                        () = tokio::time::sleep_until(wake) => {}
                    }
                    let after = Instant::now();
                    waited_for_room += after - now;
                    if after >= deadline {
                        return Err(RequestError::new(
                            op,
                            RequestErrorKind::RateLimited,
                            format!(
                                "the announced rate-limit budget stayed in use by other requests for \
                                 {waited_for_room:?}, until the total timeout; the request was not sent"
                            ),
                        ));
                    }
                }
            }
        }
        // Only reachable under a flood of announcements; sending unpaced then
        // is what a client without pacing would do, and the server's answer
        // (a 429 at worst) is handled by the retry policy.
        debug!("pacing: giving up on pacing after {MAX_PACING_ROUNDS} rounds");
        if !waited_for_room.is_zero() {
            inner.counters.paced(waited_for_room);
        }
        Ok((Permit::none(&inner.pacer), waited + waited_for_room))
    }

    async fn wait_before_retry(&self, delay: Duration, reason: RetryReason, status: Option<StatusCode>) {
        debug!(
            reason = reason.as_str(),
            status = status.map(|s| s.as_u16()),
            wait_ms = duration_ms(delay),
            "retrying"
        );
        self.inner.counters.retry_wait(delay);
        tokio::time::sleep(delay).await;
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only the (redacting) configuration is shown; the client and the
        // prepared credential header are deliberately left out.
        f.debug_struct("Transport")
            .field("config", &self.inner.config)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// How many times one attempt re-examines the pacing state before it is
/// sent regardless. Every round waits for a release, an announcement or an
/// instant, so the limit is only reached under a flood of them.
const MAX_PACING_ROUNDS: u32 = 4096;

fn auth_error(op: &'static OperationInfo, failure: AuthFailure) -> RequestError {
    match failure {
        AuthFailure::Missing(detail) => RequestError::new(op, RequestErrorKind::MissingCredential, detail),
        AuthFailure::Invalid(detail, None) => RequestError::new(op, RequestErrorKind::Credential, detail),
        AuthFailure::Invalid(detail, Some(source)) => {
            RequestError::new(op, RequestErrorKind::Credential, detail).with_source(source)
        }
    }
}

fn header_name(name: &'static str) -> Result<HeaderName, BuildError> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| BuildError::InvalidHeaderName { name })
}

fn duration_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn finish_err(err: RequestError, attempts: u32) -> RequestError {
    let span = Span::current();
    span.record("attempts", attempts);
    if let Some(status) = err.status() {
        span.record("status", status.as_u16());
    }
    debug!(error = %err, "request failed");
    err.with_attempts(attempts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync_clone<T: Send + Sync + Clone + 'static>() {}

    #[test]
    fn transport_is_send_sync_clone() {
        assert_send_sync_clone::<Transport>();
    }

    #[test]
    fn credential_header_is_sensitive_and_debug_is_redacted() {
        let config = ClientConfig::new("https://example.com")
            .unwrap()
            .credential("Authorization", crate::SecretString::new("api-SECRET-0123456789"));
        let transport = Transport::new(config).unwrap();
        let (name, value) = transport.inner.credential.as_ref().unwrap();
        assert_eq!(name, "authorization");
        assert!(value.is_sensitive());
        assert_eq!(format!("{value:?}"), "Sensitive");
        let text = format!("{transport:?} {transport:#?} {:?}", transport.clone());
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("authorization: <redacted>") || text.contains("Authorization: <redacted>"));
    }

    #[test]
    fn invalid_credential_is_a_build_error_without_the_value() {
        let config = ClientConfig::new("https://example.com")
            .unwrap()
            .credential("Authorization", crate::SecretString::new("bad\nSECRET"));
        let err = Transport::new(config).unwrap_err();
        assert!(matches!(err, BuildError::InvalidHeaderValue { name: "Authorization" }));
        assert!(!format!("{err} {err:?}").contains("SECRET"));
        let config = ClientConfig::new("https://example.com")
            .unwrap()
            .api_version("bad header", "1");
        assert!(matches!(
            Transport::new(config),
            Err(BuildError::InvalidHeaderName { name: "bad header" })
        ));
    }

    #[test]
    fn execute_future_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        static OP: OperationInfo = OperationInfo {
            id: "get-x",
            method: crate::operation::HttpMethod::Get,
            path_template: "/x",
        };
        let transport = Transport::new(ClientConfig::new("http://127.0.0.1:9").unwrap()).unwrap();
        let future = transport.execute(ApiRequest::new(&OP, "/x".into()));
        assert_send(&future);
    }
}
