//! GOV.UK One Login for families (issue 24 item 2, ADR 0056): a second way to the same family
//! session a one-time link gives. The partnership's OpenID Connect provider for families is
//! set in its settings, off unless set. The family member is sent there with the
//! authorization code flow (PKCE, `state` tied to the browser by a cookie, `nonce`; scopes
//! `openid email`; `vtr` and `ui_locales` as One Login reads them), the answer is checked by
//! the `openidconnect` crate, and the person is matched by the address the provider
//! **verified**, through the gate, which never makes anyone. Hearth authenticates to the token
//! endpoint as One Login expects, with a JWT signed by the partnership's private key
//! (`private_key_jwt`), or with a client secret for a provider that uses one.

use super::{family_event, FamilyVisit};
use crate::accounts::auth::{random_token, same_secret, token_hash};
use crate::accounts::single_sign_on::{
    discover_issuer, Metadata, ProviderAnswer, SignOnStart, ATTEMPT_MINUTES,
};
use crate::{AppError, Hearth, Origin};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use hearth_domain::audit::AuditAction;
use hearth_domain::family_sign_on::FamilyRefusal;
use hearth_domain::message::Language;
use hearth_domain::single_sign_on::Refusal;
use hearth_store::gate::EmailOutcome;
use hearth_store::own::sign_on::{self as store, FamilyAttempt};
use hearth_store::{audit, Store};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreGenderClaim};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, CsrfToken, EmptyAdditionalClaims,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, LanguageTag, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope, TokenResponse,
    UserInfoClaims,
};
use std::fmt;

/// Where the provider sends a family member back to (registered at the provider).
pub const FAMILY_CALLBACK_PATH: &str = "/my-family/one-login/callback";

/// What One Login asks for when nothing else is set: a medium level of authentication
/// ("Cl.Cm", two factors), no identity check — the family's record already says who they are,
/// and the match is by the address One Login confirmed.
pub const DEFAULT_VTR: &str = r#"["Cl.Cm"]"#;

/// How Hearth proves itself at the provider's token endpoint.
#[derive(Clone)]
pub enum ClientAuth {
    /// A JWT signed with the partnership's RSA private key (RS256), which is what GOV.UK One
    /// Login uses; the public key is registered with One Login. PEM, PKCS#1 or PKCS#8.
    PrivateKeyJwt {
        key_pem: String,
        key_id: Option<String>,
    },
    /// A shared secret, for a provider that uses one.
    ClientSecret(String),
}

impl fmt::Debug for ClientAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Neither the key nor the secret reaches a log or an error page.
        match self {
            ClientAuth::PrivateKeyJwt { key_id, .. } => f
                .debug_struct("PrivateKeyJwt")
                .field("key_pem", &"[hidden]")
                .field("key_id", key_id)
                .finish(),
            ClientAuth::ClientSecret(_) => f.write_str("ClientSecret([hidden])"),
        }
    }
}

/// The partnership's provider for families.
#[derive(Debug, Clone)]
pub struct FamilyOneLogin {
    /// Like `https://oidc.account.gov.uk/` (discovery is read from there).
    pub issuer: String,
    pub client_id: String,
    pub auth: ClientAuth,
    /// The vector of trust (`vtr`) sent with each sign-in; `None` sends none (a provider that
    /// is not One Login).
    pub vtr: Option<String>,
}

impl FamilyOneLogin {
    /// Checks the settings, saying which one to fix: the key must be an RSA private key in PEM.
    pub fn new(
        issuer: &str,
        client_id: &str,
        auth: ClientAuth,
        vtr: Option<String>,
    ) -> Result<Self, String> {
        let issuer = issuer.trim().to_string();
        if !(issuer.starts_with("https://") || issuer.starts_with("http://")) {
            return Err(
                "the issuer must be a full web address, like https://oidc.account.gov.uk/".into(),
            );
        }
        if client_id.trim().is_empty() {
            return Err("the client ID One Login gave the partnership is missing".into());
        }
        if let ClientAuth::PrivateKeyJwt { key_pem, .. } = &auth {
            signing_key(key_pem)?;
        }
        if let ClientAuth::ClientSecret(s) = &auth {
            if s.trim().is_empty() {
                return Err("the client secret is empty".into());
            }
        }
        Ok(Self {
            issuer,
            client_id: client_id.trim().to_string(),
            auth,
            vtr: vtr.filter(|v| !v.trim().is_empty()),
        })
    }
}

/// A family session made at the provider, and the language the family went there in.
#[derive(Debug)]
pub struct FamilySignedOn {
    pub session: String,
    pub visit: FamilyVisit,
    pub lang: Language,
}

/// Why a family member was not signed in: audited, and shown on a kind page in their
/// language (`None` when the answer could not be tied to a sign-in, so its language is not
/// known).
#[derive(Debug)]
pub enum FamilySignOnRefused {
    Refused(FamilyRefusal, Option<Language>),
    Error(AppError),
}

impl From<AppError> for FamilySignOnRefused {
    fn from(e: AppError) -> Self {
        FamilySignOnRefused::Error(e)
    }
}

impl From<hearth_store::StoreError> for FamilySignOnRefused {
    fn from(e: hearth_store::StoreError) -> Self {
        FamilySignOnRefused::Error(e.into())
    }
}

/// The client as discovery makes it: an authorization endpoint, and token and user info
/// endpoints when the provider has them.
type FamilyClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// What the provider verified about the person.
struct Answered {
    email: Option<String>,
    verified: bool,
}

/// The client assertion for `private_key_jwt` (RFC 7523): the client is both issuer and
/// subject, the audience is the token endpoint, it lasts five minutes and is used once.
fn client_assertion(
    client_id: &str,
    audience: &str,
    key_pem: &str,
    key_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, String> {
    let key = signing_key(key_pem)?;
    let mut header = serde_json::json!({ "alg": "RS256", "typ": "JWT" });
    if let Some(kid) = key_id {
        header["kid"] = serde_json::Value::String(kid.to_string());
    }
    let claims = serde_json::json!({
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "iat": now.timestamp(),
        "exp": (now + Duration::minutes(5)).timestamp(),
        "jti": uuid::Uuid::new_v4().to_string(),
    });
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        input.as_bytes(),
        &mut signature,
    )
    .map_err(|_| "signing the client assertion failed".to_string())?;
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

/// The partnership's RSA key for One Login, from PEM (PKCS#1 "BEGIN RSA PRIVATE KEY" or PKCS#8
/// "BEGIN PRIVATE KEY"). Signed with ring, whose RSA is constant time: the rsa crate's is not
/// (RUSTSEC-2023-0071), and its timing could be measured over the network.
fn signing_key(key_pem: &str) -> Result<ring::signature::RsaKeyPair, String> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::PrivateKeyDer;
    let unreadable = |e: String| {
        format!("the private key is not an RSA private key in PEM (\"BEGIN RSA PRIVATE KEY\" or \"BEGIN PRIVATE KEY\"): {e}")
    };
    let der =
        PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).map_err(|e| unreadable(e.to_string()))?;
    let pair = match &der {
        PrivateKeyDer::Pkcs1(k) => ring::signature::RsaKeyPair::from_der(k.secret_pkcs1_der()),
        PrivateKeyDer::Pkcs8(k) => ring::signature::RsaKeyPair::from_pkcs8(k.secret_pkcs8_der()),
        _ => return Err(unreadable("it is an elliptic-curve key".into())),
    };
    pair.map_err(|e| unreadable(e.to_string()))
}

impl Hearth {
    /// Whether the partnership offers families GOV.UK One Login.
    pub fn family_one_login_offered(&self) -> bool {
        self.policies.own.one_login.is_some()
    }

    fn family_provider(&self) -> Result<&FamilyOneLogin, AppError> {
        self.policies
            .own
            .one_login
            .as_ref()
            .ok_or(AppError::NotFound)
    }

    /// Writes a refused family sign-in to the audit log, naming nobody.
    async fn refuse_family_sign_on(
        &self,
        refusal: FamilyRefusal,
        lang: Option<Language>,
        origin: &Origin,
    ) -> FamilySignOnRefused {
        let written = async {
            let mut e = family_event(
                "family member",
                AuditAction::SingleSignOnRefused,
                origin,
                self.now(),
            );
            e.record_type = Some("family_sign_in");
            e.detail =
                Some(serde_json::json!({ "for": "family", "reason": refusal.code() }).to_string());
            let mut tx = self.store.write().await?;
            audit::append(&mut tx, &e).await?;
            Store::commit(tx).await?;
            Ok::<_, AppError>(())
        }
        .await;
        match written {
            Ok(()) => FamilySignOnRefused::Refused(refusal, lang),
            Err(e) => FamilySignOnRefused::Error(e),
        }
    }

    fn family_client(
        &self,
        p: &FamilyOneLogin,
        metadata: Metadata,
    ) -> Result<FamilyClient, AppError> {
        let secret = match &p.auth {
            ClientAuth::ClientSecret(s) => Some(openidconnect::ClientSecret::new(s.clone())),
            ClientAuth::PrivateKeyJwt { .. } => None,
        };
        let redirect = RedirectUrl::new(self.public_link(FAMILY_CALLBACK_PATH))
            .map_err(|e| AppError::Internal(format!("the public_url makes no callback: {e}")))?;
        Ok(
            CoreClient::from_provider_metadata(
                metadata,
                ClientId::new(p.client_id.clone()),
                secret,
            )
            .set_redirect_uri(redirect),
        )
    }

    /// Starts a family member's sign-in at the provider, in their language: where to send the
    /// browser, and the cookie that ties the answer to it. Not offered: [`AppError::NotFound`].
    pub async fn begin_family_one_login(
        &self,
        lang: Language,
        origin: &Origin,
    ) -> Result<SignOnStart, FamilySignOnRefused> {
        let p = self.family_provider()?;
        let http = self.provider_client()?;
        let metadata = match discover_issuer(&http, &p.issuer, "family one login").await {
            Ok(m) => m,
            Err(r) => {
                return Err(self
                    .refuse_family_sign_on(FamilyRefusal::Protocol(r), Some(lang), origin)
                    .await)
            }
        };
        let client = self.family_client(p, metadata)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_ui_locale(LanguageTag::new(lang.code().into()));
        if let Some(vtr) = &p.vtr {
            request = request.add_extra_param("vtr", vtr.clone());
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        let browser_token = random_token();
        let attempt = FamilyAttempt {
            browser_hash: token_hash(&browser_token),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            lang: lang.code().to_string(),
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

    /// Finishes a family member's sign-in the provider sent back: checks it, matches the
    /// verified address to one person through the gate, and makes the same family session a
    /// link makes.
    pub async fn finish_family_one_login(
        &self,
        answer: ProviderAnswer<'_>,
        origin: &Origin,
    ) -> Result<FamilySignedOn, FamilySignOnRefused> {
        let now = self.now();
        let p = self.family_provider()?;
        // The state is found by its hash and used once; it must come back to the browser that
        // started it, in time.
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
                && answer
                    .browser_token
                    .is_some_and(|b| same_secret(&token_hash(b), &a.browser_hash))
        });
        let Some(attempt) = attempt else {
            return Err(self
                .refuse_family_sign_on(FamilyRefusal::Protocol(Refusal::WrongState), None, origin)
                .await);
        };
        let lang = Language::from_code(&attempt.lang).unwrap_or(Language::En);
        let refuse = |r: FamilyRefusal| self.refuse_family_sign_on(r, Some(lang), origin);
        if answer.error.is_some() {
            return Err(refuse(FamilyRefusal::Protocol(Refusal::CancelledAtProvider)).await);
        }
        let Some(code) = answer.code.filter(|c| !c.is_empty() && c.len() <= 2000) else {
            return Err(refuse(FamilyRefusal::Protocol(Refusal::CodeRefused)).await);
        };
        let answered = match self.family_answer(p, &attempt, code).await {
            Ok(a) => a,
            Err(r) => return Err(refuse(FamilyRefusal::Protocol(r)).await),
        };
        // Only an address the provider says it verified: an unverified one could be anyone's.
        let email = match answered {
            Answered {
                email: Some(email),
                verified: true,
            } if hearth_domain::message::sendable_address(&email) => email,
            _ => return Err(refuse(FamilyRefusal::EmailNotVerified).await),
        };
        let session = random_token();
        let until = now + Duration::minutes(self.policies.own.session_minutes);
        let e = family_event("family member", AuditAction::FamilySignedIn, origin, now);
        match self
            .gate
            .family_sign_in_by_email(&email, &token_hash(&session), until, &e)
            .await?
        {
            EmailOutcome::SignedIn(member) => Ok(FamilySignedOn {
                session,
                visit: FamilyVisit {
                    member,
                    origin: origin.clone(),
                },
                lang,
            }),
            // Refused and recorded by the gate.
            EmailOutcome::NoMatch => Err(FamilySignOnRefused::Refused(
                FamilyRefusal::NoMatch,
                Some(lang),
            )),
            EmailOutcome::SeveralMatches => Err(FamilySignOnRefused::Refused(
                FamilyRefusal::SeveralMatches,
                Some(lang),
            )),
        }
    }

    /// Exchanges the code (with the PKCE verifier, and the client assertion or secret) and
    /// checks the ID token; the address and whether it was verified come from the ID token or,
    /// as One Login gives them, the user info endpoint.
    async fn family_answer(
        &self,
        p: &FamilyOneLogin,
        attempt: &FamilyAttempt,
        code: &str,
    ) -> Result<Answered, Refusal> {
        let http = self
            .provider_client()
            .map_err(|_| Refusal::ProviderUnavailable)?;
        let metadata = discover_issuer(&http, &p.issuer, "family one login").await?;
        let token_endpoint = metadata
            .token_endpoint()
            .map(|u| u.url().to_string())
            .ok_or(Refusal::ProviderUnavailable)?;
        let client = self
            .family_client(p, metadata)
            .map_err(|_| Refusal::ProviderUnavailable)?;
        let mut request = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|_| Refusal::ProviderUnavailable)?
            .set_pkce_verifier(PkceCodeVerifier::new(attempt.pkce_verifier.clone()));
        if let ClientAuth::PrivateKeyJwt { key_pem, key_id } = &p.auth {
            let assertion = client_assertion(
                &p.client_id,
                &token_endpoint,
                key_pem,
                key_id.as_deref(),
                self.now(),
            )
            .map_err(|e| {
                tracing::error!(error = %e, "the family provider's client assertion");
                Refusal::ProviderUnavailable
            })?;
            request = request
                .add_extra_param(
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                )
                .add_extra_param("client_assertion", assertion);
        }
        let tokens = request.request_async(&http).await.map_err(|e| match e {
            RequestTokenError::ServerResponse(r) => {
                tracing::info!(error = ?r.error(), "the family provider refused a code");
                Refusal::CodeRefused
            }
            other => {
                tracing::warn!(error = %other, "the family provider's token endpoint failed");
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
                    tracing::warn!(error = %other, "a family ID token did not verify");
                    Refusal::TokenRejected
                }
            })?;
        let mut email = claims.email().map(|e| e.to_string());
        let mut verified = claims.email_verified();
        if email.is_none() || verified.is_none() {
            // One Login gives the address only at the user info endpoint; its `sub` must be
            // the token's (the crate checks).
            if let Ok(request) = client.user_info(
                tokens.access_token().clone(),
                Some(claims.subject().clone()),
            ) {
                let info: UserInfoClaims<EmptyAdditionalClaims, CoreGenderClaim> =
                    request.request_async(&http).await.map_err(|e| {
                        tracing::warn!(error = %e, "the family provider's user info failed");
                        Refusal::ProviderUnavailable
                    })?;
                if email.is_none() {
                    email = info.email().map(|e| e.to_string());
                    verified = info.email_verified();
                }
                verified = verified.or(info.email_verified());
            }
        }
        Ok(Answered {
            email: email.map(|e| e.trim().to_lowercase()),
            verified: verified == Some(true),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neither_the_key_nor_the_secret_shows_in_debug_output() {
        let key = ClientAuth::PrivateKeyJwt {
            key_pem: "-----BEGIN RSA PRIVATE KEY-----secret".into(),
            key_id: Some("k1".into()),
        };
        assert!(!format!("{key:?}").contains("secret"));
        let secret = ClientAuth::ClientSecret("s3cret".into());
        assert!(!format!("{secret:?}").contains("s3cret"));
    }

    #[test]
    fn only_an_rsa_private_key_in_pem_is_taken_and_a_wrong_one_says_what_is_wanted() {
        let with_key = |pem: &str| {
            FamilyOneLogin::new(
                "https://oidc.account.gov.uk/",
                "client",
                ClientAuth::PrivateKeyJwt {
                    key_pem: pem.into(),
                    key_id: None,
                },
                None,
            )
        };
        let e = with_key("not a key").unwrap_err();
        assert!(e.contains("not an RSA private key in PEM"), "{e}");
        assert!(e.contains("BEGIN PRIVATE KEY"), "{e}");
        assert!(with_key(include_str!(
            "../../../testkit/oidc/family-client-test-key.pem"
        ))
        .is_ok());
        let assertion = client_assertion(
            "client",
            "https://oidc.account.gov.uk/token",
            include_str!("../../../testkit/oidc/family-client-test-key.pem"),
            Some("k1"),
            Utc::now(),
        )
        .unwrap();
        let parts: Vec<&str> = assertion.split('.').collect();
        assert_eq!(parts.len(), 3, "header, claims and an RS256 signature");
        let header = URL_SAFE_NO_PAD.decode(parts[0]).unwrap();
        assert!(String::from_utf8_lossy(&header).contains("\"RS256\""));
        assert_eq!(
            URL_SAFE_NO_PAD.decode(parts[2]).unwrap().len(),
            256,
            "a 2048-bit signature"
        );
        let e = FamilyOneLogin::new(
            "oidc.account.gov.uk",
            "c",
            ClientAuth::ClientSecret("s".into()),
            None,
        )
        .unwrap_err();
        assert!(e.contains("full web address"), "{e}");
    }
}
