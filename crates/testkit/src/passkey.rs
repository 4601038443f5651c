//! A real software authenticator and WebAuthn client for the passkey tests (ADR 0051):
//! 1Password's `passkey` crates (from crates.io, RustCrypto inside), holding one passkey, whose
//! user is always present and verified (as if they touched the key and gave its PIN). It reads
//! Hearth's challenge as the JSON a browser's script is given, and answers with the JSON the
//! script sends back, so the tests go through the same door as a browser.

use passkey::authenticator::{Authenticator, UiHint, UserCheck, UserValidationMethod};
use passkey::client::{Client, DefaultClientData};
use passkey::crypto::rust_crypto::RustCryptoBackend;
use passkey_types::ctap2::{Aaguid, Ctap2Error};
use passkey_types::webauthn::{CredentialCreationOptions, CredentialRequestOptions};
use passkey_types::Passkey;

/// The person at the authenticator: there, and verified (a PIN or a fingerprint).
pub struct VerifiedUser;

#[async_trait::async_trait]
impl UserValidationMethod for VerifiedUser {
    type PasskeyItem = Passkey;

    async fn check_user<'a>(
        &self,
        _hint: UiHint<'a, Self::PasskeyItem>,
        presence: bool,
        verification: bool,
    ) -> Result<UserCheck, Ctap2Error> {
        Ok(UserCheck {
            presence,
            verification,
        })
    }

    fn is_presence_enabled(&self) -> bool {
        true
    }

    fn is_verification_enabled(&self) -> Option<bool> {
        Some(true)
    }
}

/// A security key in a browser at `origin`.
pub struct SoftKey {
    client: Client<
        Option<Passkey>,
        VerifiedUser,
        RustCryptoBackend,
        public_suffix::PublicSuffixList,
        (),
    >,
    origin: url::Url,
}

impl SoftKey {
    /// A key with no passkey yet, used from a page at `origin` (`http://localhost:…` is a
    /// secure context, as in browsers). It keeps a signature counter, as security keys do.
    pub fn new(origin: &str) -> Self {
        let mut authenticator =
            Authenticator::new(Aaguid::new_empty(), None, VerifiedUser, RustCryptoBackend);
        authenticator.set_make_credentials_with_signature_counter(true);
        Self {
            client: Client::new(authenticator).allows_insecure_localhost(true),
            origin: url::Url::parse(origin).expect("an origin"),
        }
    }

    /// Makes a passkey for Hearth's registration options (JSON); the answer, as JSON.
    pub async fn register(&mut self, options: &str) -> Result<String, String> {
        let request: CredentialCreationOptions =
            serde_json::from_str(options).map_err(|e| format!("the options: {e}"))?;
        let made = self
            .client
            .register(&self.origin, request, DefaultClientData)
            .await
            .map_err(|e| format!("the authenticator refused: {e:?}"))?;
        serde_json::to_string(&made).map_err(|e| e.to_string())
    }

    /// Signs Hearth's sign-in challenge (JSON) with the passkey; the answer, as JSON.
    pub async fn sign_in(&mut self, options: &str) -> Result<String, String> {
        let request: CredentialRequestOptions =
            serde_json::from_str(options).map_err(|e| format!("the options: {e}"))?;
        let signed = self
            .client
            .authenticate(&self.origin, request, DefaultClientData)
            .await
            .map_err(|e| format!("the authenticator refused: {e:?}"))?;
        serde_json::to_string(&signed).map_err(|e| e.to_string())
    }

    /// The passkey as it is now (to put back later, as a copied key would be).
    pub fn passkey(&self) -> Option<Passkey> {
        self.client.authenticator().store().clone()
    }

    /// Replaces the passkey the key holds.
    pub fn set_passkey(&mut self, passkey: Option<Passkey>) {
        *self.client.authenticator_mut().store_mut() = passkey;
    }
}
