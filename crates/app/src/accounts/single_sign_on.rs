//! Single sign-on with OpenID Connect (ADR 0041): an organisation's staff sign in with their
//! own identity provider. Hearth sends them there with the authorization code flow (PKCE,
//! `state` tied to the browser, `nonce`), checks the answer with the `openidconnect` crate
//! (signature, issuer, audience, expiry, nonce), and maps a first sign-in to an account by the
//! administrator's rules. Every sign-in, refusal and account made is audited here.

use crate::accounts::admin::NAME_MAX;
use crate::accounts::auth::{event, open_session, random_token, token_hash, SignedIn};
use crate::{Actor, AppError, Hearth, Origin};
use chrono::Duration;
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::{IdentityProviderId, OrganisationId, SignOnRuleId, TeamId, UserId};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::role::{Capability, Role};
use hearth_domain::single_sign_on::{self as sso, Answer, MappingRule, Refusal};
use hearth_store::accounts::single_sign_on::{
    self as store, Attempt, ClientSecret, IdentityProvider, ProviderFields, StoredRule,
};
use hearth_store::accounts::teams;
use hearth_store::accounts::users::{self, FirstPassword, UserFields};
use hearth_store::{audit, Store, StoreError};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthenticationFlow, CoreClaimName, CoreClaimType, CoreClient,
    CoreClientAuthMethod, CoreGenderClaim, CoreGrantType, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreResponseMode,
    CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalClaims, AdditionalProviderMetadata, AuthorizationCode, ClaimsVerificationError,
    ClientId, CsrfToken, EndSessionUrl, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, ProviderMetadata, RedirectUrl, RequestTokenError, Scope, TokenResponse,
    UserInfoClaims,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Where providers send people back to.
pub const CALLBACK_PATH: &str = "/sign-in/provider/callback";
/// Where a provider sends people back after signing out there (registered at the provider as
/// a post-logout redirect URI).
pub const SIGNED_OUT_PATH: &str = "/sign-in?signed_out=1";
/// How long a sign-in sent to a provider may take before its answer is refused.
pub(crate) const ATTEMPT_MINUTES: i64 = 15;
/// What a federated account has instead of a password hash: not a hash, so no password
/// matches it.
const NO_PASSWORD: &str = "!federated";

/// How Hearth talks to identity providers.
#[derive(Debug, Clone)]
pub struct SingleSignOnPolicy {
    /// The longest Hearth waits for one answer from a provider.
    pub provider_timeout: std::time::Duration,
}

impl Default for SingleSignOnPolicy {
    fn default() -> Self {
        Self {
            provider_timeout: std::time::Duration::from_secs(10),
        }
    }
}

/// The discovery document's `end_session_endpoint`, which `openidconnect`'s core metadata
/// leaves out.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SignOutMetadata {
    end_session_endpoint: Option<EndSessionUrl>,
}
impl AdditionalProviderMetadata for SignOutMetadata {}

pub(crate) type Metadata = ProviderMetadata<
    SignOutMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// Every claim in the user info answer beyond the standard ones (`groups`, `roles`, …), for
/// the mapping rules.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
struct OtherClaims(HashMap<String, serde_json::Value>);
impl AdditionalClaims for OtherClaims {}

/// Where to send the browser to sign in, and the cookie that ties the answer to it.
#[derive(Debug)]
pub struct SignOnStart {
    pub provider_url: String,
    /// Goes in a cookie; only its SHA-256 is kept.
    pub browser_token: String,
}

/// What came back to the callback.
#[derive(Debug, Default)]
pub struct ProviderAnswer<'a> {
    pub state: Option<&'a str>,
    pub code: Option<&'a str>,
    /// The provider's `error` (the person cancelled, or it refused).
    pub error: Option<&'a str>,
    /// The cookie set when the sign-in began.
    pub browser_token: Option<&'a str>,
}

/// Why single sign-on did not sign someone in.
#[derive(Debug)]
pub enum SignOnRefused {
    /// Audited with its reason; the page explains it.
    Refused(Refusal),
    Error(AppError),
}

impl From<AppError> for SignOnRefused {
    fn from(e: AppError) -> Self {
        SignOnRefused::Error(e)
    }
}

impl From<StoreError> for SignOnRefused {
    fn from(e: StoreError) -> Self {
        SignOnRefused::Error(e.into())
    }
}

/// A signed-in session from single sign-on, and where the person was going.
#[derive(Debug)]
pub struct SignedOn {
    pub signed_in: SignedIn,
    pub next: String,
}

/// A provider as an administrator types it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProviderForm {
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub issuer: String,
    #[serde(default)]
    pub client_id: String,
    /// Blank on a change keeps the secret already saved.
    #[serde(default)]
    pub client_secret: String,
    #[serde(default)]
    pub scopes: String,
    #[serde(default)]
    pub email_domains: String,
    #[serde(default)]
    pub active: Option<String>,
}

impl ProviderForm {
    pub fn from_record(p: &IdentityProvider) -> Self {
        Self {
            organisation_id: p.organisation_id.to_string(),
            issuer: p.issuer.clone(),
            client_id: p.client_id.clone(),
            client_secret: String::new(),
            scopes: p.scopes.join(" "),
            email_domains: p.email_domains.join(" "),
            active: p.active.then(|| "yes".into()),
        }
    }

    fn check(&self, new: bool) -> Result<ProviderFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let organisation_id = self.organisation_id.parse::<OrganisationId>().ok();
        if organisation_id.is_none() {
            errors.add(
                "organisation_id",
                "Select the organisation whose staff sign in with this provider",
            );
        }
        let issuer = self.issuer.trim().trim_end_matches('/').to_string();
        let issuer_ok = IssuerUrl::new(issuer.clone()).is_ok()
            && (issuer.starts_with("https://") || issuer.starts_with("http://"));
        if issuer.is_empty() {
            errors.add("issuer", "Enter the provider's issuer URL, like https://login.microsoftonline.com/<tenant>/v2.0");
        } else if !issuer_ok || issuer.len() > 500 {
            errors.add(
                "issuer",
                "Enter the issuer as a full web address starting https://",
            );
        }
        let client_id = input::required_text(
            &mut errors,
            "client_id",
            "the client ID the provider gave Hearth",
            &self.client_id,
            NAME_MAX,
        );
        let secret = self.client_secret.trim();
        if new && secret.is_empty() {
            errors.add(
                "client_secret",
                "Enter the client secret the provider gave Hearth",
            );
        } else if secret.chars().count() > 500 {
            errors.add(
                "client_secret",
                "The client secret must be 500 characters or fewer",
            );
        }
        let scopes = sso::scopes(&self.scopes).unwrap_or_else(|m| {
            errors.add("scopes", m);
            Vec::new()
        });
        let email_domains = sso::domains(&self.email_domains).unwrap_or_else(|m| {
            errors.add("email_domains", m);
            Vec::new()
        });
        errors.into_result(ProviderFields {
            organisation_id: organisation_id.unwrap_or_default(),
            issuer,
            client_id,
            client_secret: (!secret.is_empty()).then(|| ClientSecret::new(secret.to_string())),
            scopes,
            email_domains,
            active: self.active.is_some() || new,
        })
    }
}

/// A rule as an administrator types it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RuleForm {
    #[serde(default)]
    pub claim: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub team_id: String,
}

fn provider_detail(f: &ProviderFields) -> String {
    // The secret is never written down, only whether it changed.
    serde_json::json!({
        "organisation_id": f.organisation_id.to_string(),
        "issuer": f.issuer,
        "client_id": f.client_id,
        "client_secret_changed": f.client_secret.is_some(),
        "scopes": f.scopes,
        "email_domains": f.email_domains,
        "active": f.active,
    })
    .to_string()
}

fn rule_detail(provider: IdentityProviderId, r: &MappingRule) -> String {
    serde_json::json!({
        "provider": provider.to_string(),
        "claim": r.condition.claim(),
        "value": r.condition.value(),
        "role": r.role.code(),
        "team_id": r.team.map(|t| t.to_string()),
        "confirmed": r.confirmed,
    })
    .to_string()
}

/// The claims of the answer as (name, text) pairs; a list gives one pair per item.
fn claim_pairs(claims: &HashMap<String, serde_json::Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, value) in claims {
        let items: Vec<&serde_json::Value> = match value {
            serde_json::Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for item in items {
            let text = match item {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Bool(b) => b.to_string(),
                serde_json::Value::Number(n) => n.to_string(),
                _ => continue,
            };
            out.push((name.clone(), text));
        }
    }
    out
}

/// What Hearth learnt from a provider's checked answer.
struct Verified {
    subject: String,
    email: Option<String>,
    email_verified: Option<bool>,
    name: Option<String>,
    claims: Vec<(String, String)>,
}

/// A provider's discovery document; a provider that cannot be reached, is too slow or does
/// not answer as OpenID Connect is unavailable. `which` names it in the log.
pub(crate) async fn discover_issuer(
    http: &reqwest::Client,
    issuer: &str,
    which: &str,
) -> Result<Metadata, Refusal> {
    let issuer = IssuerUrl::new(issuer.to_string()).map_err(|_| Refusal::ProviderUnavailable)?;
    Metadata::discover_async(issuer, http).await.map_err(|e| {
        tracing::warn!(provider = %which, error = %e, "identity provider discovery failed");
        Refusal::ProviderUnavailable
    })
}

impl Hearth {
    /// The full address of a path in Hearth (the provider callback an administrator
    /// registers at the provider, for one).
    pub fn public_link(&self, path: &str) -> String {
        self.policies.messages.link(path)
    }

    pub(crate) fn provider_client(&self) -> Result<reqwest::Client, AppError> {
        // No redirects: a provider's endpoints answer directly, and following one could lead
        // Hearth's server somewhere it should not go.
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.policies.single_sign_on.provider_timeout)
            .connect_timeout(self.policies.single_sign_on.provider_timeout)
            .build()
            .map_err(|e| AppError::Internal(format!("an HTTP client for providers: {e}")))
    }

    async fn discover(
        &self,
        http: &reqwest::Client,
        p: &IdentityProvider,
    ) -> Result<Metadata, Refusal> {
        discover_issuer(http, &p.issuer, &p.id.to_string()).await
    }

    fn redirect_url(&self) -> Result<RedirectUrl, AppError> {
        RedirectUrl::new(self.public_link(CALLBACK_PATH))
            .map_err(|e| AppError::Internal(format!("the public_url makes no callback: {e}")))
    }

    /// Writes a refused single sign-on to the audit log.
    async fn refuse_sign_on(
        &self,
        refusal: Refusal,
        provider: Option<IdentityProviderId>,
        who: Option<(&str, Option<UserId>)>,
        origin: &Origin,
    ) -> SignOnRefused {
        let now = self.now();
        let written = async {
            let mut tx = self.store.write().await?;
            let label = who.map(|(email, _)| email).unwrap_or("single sign-on");
            let mut e = event(None, label, AuditAction::SingleSignOnRefused, origin, now);
            e.actor_user_id = who.and_then(|(_, id)| id).map(|id| id.to_string());
            e.record_type = provider.map(|_| "identity_provider");
            e.record_id = provider.map(|p| p.to_string());
            e.detail = Some(serde_json::json!({"reason": refusal.code()}).to_string());
            audit::append(&mut tx, &e).await?;
            Store::commit(tx).await?;
            Ok::<_, AppError>(())
        }
        .await;
        match written {
            Ok(()) => SignOnRefused::Refused(refusal),
            Err(e) => SignOnRefused::Error(e),
        }
    }

    /// The providers people may sign in with, for the sign-in page.
    pub async fn sign_in_providers(&self) -> Result<Vec<IdentityProvider>, AppError> {
        let mut conn = self.store.read().await?;
        Ok(store::list(&mut conn)
            .await?
            .into_iter()
            .filter(|p| p.active)
            .collect())
    }

    /// The active provider serving an email address's domain, if any.
    pub async fn provider_for_email(
        &self,
        email: &str,
    ) -> Result<Option<IdentityProvider>, AppError> {
        Ok(self
            .sign_in_providers()
            .await?
            .into_iter()
            .find(|p| sso::serves(&p.email_domains, email)))
    }

    /// Starts signing in with a provider: where to send the browser, and the cookie to set.
    pub async fn begin_single_sign_on(
        &self,
        provider: IdentityProviderId,
        next: &str,
        origin: Origin,
    ) -> Result<SignOnStart, SignOnRefused> {
        let p = {
            let mut conn = self.store.read().await?;
            match store::get(&mut conn, provider).await {
                Ok(p) if p.active => p,
                Ok(_) | Err(StoreError::NotFound) => return Err(AppError::NotFound.into()),
                Err(e) => return Err(e.into()),
            }
        };
        let http = self.provider_client()?;
        let metadata = match self.discover(&http, &p).await {
            Ok(m) => m,
            Err(r) => return Err(self.refuse_sign_on(r, Some(p.id), None, &origin).await),
        };
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(p.client_id.clone()),
            Some(openidconnect::ClientSecret::new(
                p.client_secret.expose().to_string(),
            )),
        )
        .set_redirect_uri(self.redirect_url()?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in p.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        let browser_token = random_token();
        let attempt = Attempt {
            provider_id: p.id,
            browser_hash: token_hash(&browser_token),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            next_path: next.to_string(),
            created_at: self.now(),
        };
        let mut tx = self.store.write().await?;
        store::insert_attempt(&mut tx, &token_hash(state.secret()), &attempt).await?;
        Store::commit(tx).await?;
        Ok(SignOnStart {
            provider_url: url.to_string(),
            browser_token,
        })
    }

    /// Finishes a sign-in the provider sent back: checks it, finds or makes the account by the
    /// rules, and opens a session.
    pub async fn finish_single_sign_on(
        &self,
        answer: ProviderAnswer<'_>,
        origin: Origin,
    ) -> Result<SignedOn, SignOnRefused> {
        let now = self.now();
        // The state is looked up by its hash and used once; it must come back to the browser
        // that started it, within the time allowed.
        let attempt = match answer.state {
            Some(state) if !state.is_empty() && state.len() <= 200 => {
                let mut tx = self.store.write().await?;
                let taken = store::take_attempt(&mut tx, &token_hash(state)).await?;
                Store::commit(tx).await?;
                taken
            }
            _ => None,
        };
        let attempt = attempt.filter(|a| {
            now - a.created_at <= Duration::minutes(ATTEMPT_MINUTES)
                && answer.browser_token.is_some_and(|b| {
                    crate::accounts::auth::same_secret(&token_hash(b), &a.browser_hash)
                })
        });
        let Some(attempt) = attempt else {
            return Err(self
                .refuse_sign_on(Refusal::WrongState, None, None, &origin)
                .await);
        };
        let provider = attempt.provider_id;
        let refuse = |r: Refusal| self.refuse_sign_on(r, Some(provider), None, &origin);
        if answer.error.is_some() {
            return Err(refuse(Refusal::CancelledAtProvider).await);
        }
        let Some(code) = answer.code.filter(|c| !c.is_empty() && c.len() <= 2000) else {
            return Err(refuse(Refusal::CodeRefused).await);
        };
        let p = {
            let mut conn = self.store.read().await?;
            store::get(&mut conn, provider).await?
        };
        if !p.active {
            return Err(refuse(Refusal::ProviderUnavailable).await);
        }
        let verified = match self.verify_answer(&p, &attempt, code).await {
            Ok(v) => v,
            Err(r) => return Err(refuse(r).await),
        };
        self.sign_on(&p, verified, attempt.next_path, origin).await
    }

    /// Exchanges the code (with the PKCE verifier) and checks the ID token and user info.
    async fn verify_answer(
        &self,
        p: &IdentityProvider,
        attempt: &Attempt,
        code: &str,
    ) -> Result<Verified, Refusal> {
        let http = self
            .provider_client()
            .map_err(|_| Refusal::ProviderUnavailable)?;
        let metadata = self.discover(&http, p).await?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(p.client_id.clone()),
            Some(openidconnect::ClientSecret::new(
                p.client_secret.expose().to_string(),
            )),
        )
        .set_redirect_uri(
            self.redirect_url()
                .map_err(|_| Refusal::ProviderUnavailable)?,
        );
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|_| Refusal::ProviderUnavailable)?
            .set_pkce_verifier(PkceCodeVerifier::new(attempt.pkce_verifier.clone()))
            .request_async(&http)
            .await
            .map_err(|e| match e {
                RequestTokenError::ServerResponse(r) => {
                    tracing::info!(provider = %p.id, error = ?r.error(), "the provider refused a code");
                    Refusal::CodeRefused
                }
                other => {
                    tracing::warn!(provider = %p.id, error = %other, "the provider's token endpoint failed");
                    Refusal::ProviderUnavailable
                }
            })?;
        let id_token = tokens.id_token().ok_or(Refusal::TokenRejected)?;
        let now = self.now();
        let verifier = client.id_token_verifier().set_time_fn(move || now);
        let claims = id_token
            .claims(&verifier, &Nonce::new(attempt.nonce.clone()))
            .map_err(|e| match e {
                ClaimsVerificationError::InvalidNonce(_) => Refusal::WrongNonce,
                other => {
                    tracing::warn!(provider = %p.id, error = %other, "an ID token did not verify");
                    Refusal::TokenRejected
                }
            })?;
        let subject = claims.subject().to_string();
        let mut email = claims.email().map(|e| e.to_string());
        let mut email_verified = claims.email_verified();
        let mut name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.to_string());
        let mut other = Vec::new();
        // The user info endpoint carries the claims a code flow leaves out of the ID token
        // (groups, roles); its subject must be the token's.
        if let Ok(request) = client.user_info(
            tokens.access_token().clone(),
            Some(claims.subject().clone()),
        ) {
            let info: UserInfoClaims<OtherClaims, CoreGenderClaim> =
                request.request_async(&http).await.map_err(|e| {
                    tracing::warn!(provider = %p.id, error = %e, "the provider's user info failed");
                    Refusal::ProviderUnavailable
                })?;
            email = email.or_else(|| info.email().map(|e| e.to_string()));
            email_verified = email_verified.or(info.email_verified());
            name = name.or_else(|| info.name().and_then(|n| n.get(None)).map(|n| n.to_string()));
            other = claim_pairs(&info.additional_claims().0);
        }
        Ok(Verified {
            subject,
            email: email.map(|e| e.trim().to_lowercase()),
            email_verified,
            name,
            claims: other,
        })
    }

    /// Signs in the account behind a verified answer, making it by the rules on a first
    /// sign-in.
    async fn sign_on(
        &self,
        p: &IdentityProvider,
        v: Verified,
        next: String,
        origin: Origin,
    ) -> Result<SignedOn, SignOnRefused> {
        let now = self.now();
        let mut conn = self.store.read().await?;
        let linked = store::user_for_subject(&mut conn, p.id, &v.subject).await?;
        let email = v.email.clone().filter(|e| {
            v.email_verified != Some(false) && {
                let mut errors = FieldErrors::new();
                input::email(&mut errors, "email", e);
                errors.is_empty()
            }
        });
        let label = email.clone().unwrap_or_else(|| v.subject.clone());
        let (user, made) = match linked {
            Some(id) => (users::get(&mut conn, id).await?, None),
            None => {
                let Some(email) = email.as_deref() else {
                    drop(conn);
                    return Err(self
                        .refuse_sign_on(Refusal::NoEmail, Some(p.id), Some((&label, None)), &origin)
                        .await);
                };
                if !sso::serves(&p.email_domains, email) {
                    drop(conn);
                    return Err(self
                        .refuse_sign_on(
                            Refusal::DomainNotServed,
                            Some(p.id),
                            Some((email, None)),
                            &origin,
                        )
                        .await);
                }
                match users::find_for_sign_in(&mut conn, email).await? {
                    // An account of the provider's organisation, made by an administrator
                    // before single sign-on: the provider vouches for its domain, so the
                    // account is linked rather than made twice.
                    Some((user, _))
                        if user.organisation_id == p.organisation_id
                            && !store::is_federated(&mut conn, user.id).await? =>
                    {
                        (user, Some(false))
                    }
                    Some((user, _)) => {
                        drop(conn);
                        return Err(self
                            .refuse_sign_on(
                                Refusal::EmailTaken,
                                Some(p.id),
                                Some((email, Some(user.id))),
                                &origin,
                            )
                            .await);
                    }
                    None => {
                        let rules: Vec<MappingRule> = store::rules(&mut conn, p.id)
                            .await?
                            .into_iter()
                            .map(|r| r.rule)
                            .collect();
                        let answer = Answer {
                            email,
                            claims: &v.claims,
                        };
                        let Some(mapping) = sso::map_first_sign_in(&rules, &answer) else {
                            drop(conn);
                            return Err(self
                                .refuse_sign_on(
                                    Refusal::Unmapped,
                                    Some(p.id),
                                    Some((email, None)),
                                    &origin,
                                )
                                .await);
                        };
                        let fields = UserFields {
                            email: email.to_string(),
                            display_name: v
                                .name
                                .clone()
                                .map(|n| n.trim().chars().take(NAME_MAX).collect::<String>())
                                .filter(|n| !n.is_empty())
                                .unwrap_or_else(|| email.to_string()),
                            job_title: None,
                            phone: None,
                            organisation_id: p.organisation_id,
                            team_id: mapping.team,
                            roles: mapping.roles,
                        };
                        drop(conn);
                        let id = UserId::new();
                        let mut tx = self.store.write().await?;
                        users::insert(
                            &mut tx,
                            id,
                            &fields,
                            NO_PASSWORD,
                            FirstPassword::Federated,
                            now,
                        )
                        .await?;
                        store::insert_identity(&mut tx, p.id, &v.subject, id, now).await?;
                        let mut e = event(
                            None,
                            email,
                            AuditAction::AccountCreatedBySingleSignOn,
                            &origin,
                            now,
                        );
                        e.actor_user_id = Some(id.to_string());
                        e.record_type = Some("user");
                        e.record_id = Some(id.to_string());
                        e.detail = Some(
                            serde_json::json!({
                                "provider": p.id.to_string(),
                                "organisation_id": fields.organisation_id.to_string(),
                                "team_id": fields.team_id.map(|t| t.to_string()),
                                "roles": fields.roles.roles().iter().map(|r| r.code()).collect::<Vec<_>>(),
                            })
                            .to_string(),
                        );
                        audit::append(&mut tx, &e).await?;
                        Store::commit(tx).await?;
                        let mut conn = self.store.read().await?;
                        (users::get(&mut conn, id).await?, Some(true))
                    }
                }
            }
        };
        if !user.active {
            return Err(self
                .refuse_sign_on(
                    Refusal::Deactivated,
                    Some(p.id),
                    Some((&user.email, Some(user.id))),
                    &origin,
                )
                .await);
        }
        let mut tx = self.store.write().await?;
        if made == Some(false) {
            store::insert_identity(&mut tx, p.id, &v.subject, user.id, now).await?;
        }
        users::record_success(&mut tx, user.id, now).await?;
        let signed_in = open_session(&mut tx, user, origin, now).await?;
        store::mark_session(&mut tx, &signed_in.actor.session_hash, p.id).await?;
        let mut e = event(
            Some(&signed_in.actor),
            &signed_in.actor.email,
            AuditAction::SignIn,
            &signed_in.actor.origin,
            now,
        );
        e.record_type = Some("identity_provider");
        e.record_id = Some(p.id.to_string());
        e.detail = Some(
            serde_json::json!({"method": "single_sign_on", "linked": made == Some(false)})
                .to_string(),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(SignedOn { signed_in, next })
    }

    /// Where to send a browser signing out of a session made through a provider, so it ends
    /// there too: the provider's end-session endpoint, when it has one and answers.
    pub(crate) async fn provider_sign_out_url(&self, actor: &Actor) -> Option<String> {
        let found = async {
            let mut conn = self.store.read().await?;
            let Some(id) = store::session_provider(&mut conn, &actor.session_hash).await? else {
                return Ok::<_, AppError>(None);
            };
            Ok(Some(store::get(&mut conn, id).await?))
        }
        .await;
        let p = match found {
            Ok(Some(p)) => p,
            Ok(None) => return None,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the session's provider");
                return None;
            }
        };
        let http = self.provider_client().ok()?;
        let metadata = self.discover(&http, &p).await.ok()?;
        let mut url = metadata
            .additional_metadata()
            .end_session_endpoint
            .clone()?
            .url()
            .clone();
        url.query_pairs_mut()
            .append_pair("client_id", &p.client_id)
            .append_pair(
                "post_logout_redirect_uri",
                &self.public_link(SIGNED_OUT_PATH),
            );
        Some(url.to_string())
    }

    /// Forgets sign-ins sent to providers that never came back.
    pub(crate) async fn prune_sign_on_attempts(
        &self,
        tx: &mut hearth_store::Tx,
    ) -> Result<(), AppError> {
        let before = self.now() - Duration::minutes(ATTEMPT_MINUTES);
        store::prune_attempts(tx, before).await?;
        // Families' sign-ins at their provider (ADR 0056) are kept as long.
        hearth_store::own::sign_on::prune_attempts(tx, before).await?;
        Ok(())
    }

    // ---- administration ----

    pub async fn identity_providers(
        &self,
        actor: &Actor,
    ) -> Result<Vec<IdentityProvider>, AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let mut conn = self.store.read().await?;
        Ok(store::list(&mut conn).await?)
    }

    /// A provider and its rules.
    pub async fn identity_provider(
        &self,
        actor: &Actor,
        id: IdentityProviderId,
    ) -> Result<(IdentityProvider, Vec<StoredRule>), AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let mut conn = self.store.read().await?;
        let p = store::get(&mut conn, id).await?;
        let rules = store::rules(&mut conn, id).await?;
        Ok((p, rules))
    }

    pub async fn create_identity_provider(
        &self,
        actor: &Actor,
        form: &ProviderForm,
    ) -> Result<IdentityProviderId, AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let fields = form.check(true).map_err(AppError::Invalid)?;
        let id = IdentityProviderId::new();
        let mut tx = self.store.write().await?;
        match store::insert(&mut tx, id, &fields, self.now()).await {
            Err(StoreError::Duplicate) => {
                let mut e = FieldErrors::new();
                e.add(
                    "organisation_id",
                    "This organisation has a provider already: change that one instead",
                );
                return Err(AppError::Invalid(e));
            }
            other => other?,
        }
        self.commit_recorded(
            tx,
            Some(actor),
            AuditAction::IdentityProviderCreated,
            "identity_provider",
            id.to_string(),
            Some(provider_detail(&fields)),
        )
        .await?;
        Ok(id)
    }

    pub async fn update_identity_provider(
        &self,
        actor: &Actor,
        id: IdentityProviderId,
        version: i64,
        form: &ProviderForm,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let fields = form.check(false).map_err(AppError::Invalid)?;
        let mut tx = self.store.write().await?;
        match store::update(&mut tx, id, version, &fields, self.now()).await {
            Err(StoreError::Duplicate) => {
                let mut e = FieldErrors::new();
                e.add(
                    "organisation_id",
                    "That organisation has a provider already: choose another",
                );
                return Err(AppError::Invalid(e));
            }
            other => other?,
        }
        self.commit_recorded(
            tx,
            Some(actor),
            AuditAction::IdentityProviderChanged,
            "identity_provider",
            id.to_string(),
            Some(provider_detail(&fields)),
        )
        .await
    }

    /// Adds a rule. One that gives a role needing a second administrator waits for another
    /// administrator to confirm it, as the same role given on a user's page would.
    pub async fn add_sign_on_rule(
        &self,
        actor: &Actor,
        provider: IdentityProviderId,
        form: &RuleForm,
    ) -> Result<SignOnRuleId, AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let mut errors = FieldErrors::new();
        let condition = sso::condition(&form.claim, &form.value)
            .map_err(|m| errors.add("value", m))
            .ok();
        let role = form.role.parse::<Role>().ok();
        if role.is_none() {
            errors.add("role", "Select the role the rule gives");
        }
        let team = match form.team_id.trim() {
            "" => None,
            t => match t.parse::<TeamId>() {
                Ok(t) => Some(t),
                Err(_) => {
                    errors.add("team_id", "Select a team from the list, or no team");
                    None
                }
            },
        };
        let mut conn = self.store.read().await?;
        let p = store::get(&mut conn, provider).await?;
        if let Some(team) = team {
            let in_organisation = teams::get(&mut conn, team)
                .await
                .is_ok_and(|t| t.organisation_id == p.organisation_id);
            if !in_organisation {
                errors.add(
                    "team_id",
                    format!("Select a team in {}, or no team", p.organisation_name),
                );
            }
        }
        drop(conn);
        let (Some(condition), Some(role)) = (condition, role) else {
            return Err(AppError::Invalid(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let rule = MappingRule {
            condition,
            role,
            team,
            confirmed: !role.needs_second_administrator(),
        };
        let id = SignOnRuleId::new();
        let mut tx = self.store.write().await?;
        store::insert_rule(&mut tx, id, provider, &rule, actor.user_id, self.now()).await?;
        self.commit_recorded(
            tx,
            Some(actor),
            AuditAction::SignOnRuleAdded,
            "identity_provider",
            provider.to_string(),
            Some(rule_detail(provider, &rule)),
        )
        .await?;
        Ok(id)
    }

    /// Confirms another administrator's rule.
    pub async fn confirm_sign_on_rule(
        &self,
        actor: &Actor,
        provider: IdentityProviderId,
        rule: SignOnRuleId,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let mut tx = self.store.write().await?;
        if !store::confirm_rule(&mut tx, provider, rule, actor.user_id).await? {
            let mut e = FieldErrors::new();
            e.add(
                "rule",
                "Another administrator must confirm a rule you added, and a rule is confirmed once",
            );
            return Err(AppError::Invalid(e));
        }
        self.commit_recorded(
            tx,
            Some(actor),
            AuditAction::SignOnRuleConfirmed,
            "identity_provider",
            provider.to_string(),
            Some(serde_json::json!({"rule": rule.to_string()}).to_string()),
        )
        .await
    }

    pub async fn remove_sign_on_rule(
        &self,
        actor: &Actor,
        provider: IdentityProviderId,
        rule: SignOnRuleId,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::ManageUsers).await?;
        let mut tx = self.store.write().await?;
        if !store::delete_rule(&mut tx, provider, rule).await? {
            return Err(AppError::NotFound);
        }
        self.commit_recorded(
            tx,
            Some(actor),
            AuditAction::SignOnRuleRemoved,
            "identity_provider",
            provider.to_string(),
            Some(serde_json::json!({"rule": rule.to_string()}).to_string()),
        )
        .await
    }
}
