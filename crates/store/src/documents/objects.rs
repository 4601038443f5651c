//! Documents' bytes in an S3-compatible object store (ADR 0052), through the `object_store`
//! crate's S3 client (Apache Arrow's; rustls with ring, as the rest of Hearth). Only this
//! module talks to the store; the functions that put, get and delete objects are the crate's
//! own, so a document's bytes are read only through [`super::content`] with the gate's proof.
//!
//! Each object's key is `documents/<document id>`: a random id, never a name, so nothing in
//! the bucket's listing says whose file it is.

use crate::{Result, StoreError};
use hearth_domain::ids::DocumentId;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{BackoffConfig, ClientOptions, ObjectStore, PutPayload, RetryConfig};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Where the object store is and how to sign in to it.
#[derive(Clone)]
pub struct ObjectStoreSettings {
    /// The store's address, e.g. `https://s3.eu-west-2.amazonaws.com` or a MinIO's
    /// `https://minio.council.internal:9000`; unset, AWS's own for the region.
    pub endpoint: Option<String>,
    pub bucket: String,
    pub region: String,
    /// `https://host/bucket/key` (MinIO, Ceph and most S3-compatible stores) rather than
    /// `https://bucket.host/key`.
    pub path_style: bool,
    /// Unset, the usual AWS places are asked (the `AWS_*` environment, a web identity token,
    /// the instance's role).
    pub access_key_id: Option<String>,
    /// A secret, never printed.
    pub secret_access_key: Option<String>,
    /// How long one request may take, retries included, before it counts as failed.
    pub timeout: Duration,
}

impl fmt::Debug for ObjectStoreSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectStoreSettings")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("path_style", &self.path_style)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "****"),
            )
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// An object's key in the bucket.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectKey(String);

impl ObjectKey {
    /// The key a document's bytes are kept under.
    pub fn for_document(id: DocumentId) -> Self {
        Self(format!("documents/{id}"))
    }

    /// A key as stored in the database.
    pub(crate) fn stored(key: String) -> Self {
        Self(key)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A connection to the bucket that holds documents.
#[derive(Clone)]
pub struct Objects {
    store: Arc<AmazonS3>,
    bucket: String,
}

impl fmt::Debug for Objects {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Objects")
            .field("bucket", &self.bucket)
            .finish()
    }
}

impl Objects {
    /// A client for these settings; an error names the setting to fix. Nothing is sent yet.
    pub fn new(s: &ObjectStoreSettings) -> std::result::Result<Self, String> {
        if s.bucket.trim().is_empty() {
            return Err("document_store_bucket is needed for document_store = \"s3\"".into());
        }
        if s.region.trim().is_empty() {
            return Err("document_store_region is needed for document_store = \"s3\"".into());
        }
        if s.access_key_id.is_some() != s.secret_access_key.is_some() {
            return Err(
                "document_store_access_key_id and document_store_secret_access_key go together: set both, or neither to use the AWS environment or the instance's role".into(),
            );
        }
        let timeout = s.timeout.max(Duration::from_secs(1));
        let mut b = AmazonS3Builder::from_env()
            .with_bucket_name(s.bucket.trim())
            .with_region(s.region.trim())
            .with_virtual_hosted_style_request(!s.path_style)
            .with_client_options(
                ClientOptions::new()
                    .with_timeout(timeout)
                    .with_connect_timeout(timeout.min(Duration::from_secs(10))),
            )
            // A few quick retries within the same time: a store that is down is reported
            // while the person is still waiting for their upload, not minutes later.
            .with_retry(RetryConfig {
                backoff: BackoffConfig::default(),
                max_retries: 3,
                retry_timeout: timeout,
            });
        if let Some(endpoint) = s
            .endpoint
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            let scheme = scheme(endpoint)?;
            // Plain HTTP only when the endpoint says so (a store on the same host or network).
            b = b
                .with_endpoint(endpoint.trim_end_matches('/'))
                .with_allow_http(scheme == "http");
        }
        if let (Some(id), Some(secret)) = (&s.access_key_id, &s.secret_access_key) {
            b = b.with_access_key_id(id).with_secret_access_key(secret);
        }
        let store = b
            .build()
            .map_err(|e| format!("the document store's settings: {e}"))?;
        Ok(Self {
            store: Arc::new(store),
            bucket: s.bucket.trim().to_string(),
        })
    }

    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    pub(crate) async fn put(&self, key: &ObjectKey, bytes: &[u8]) -> Result<()> {
        self.store
            .put(&Path::from(key.as_str()), PutPayload::from(bytes.to_vec()))
            .await
            .map_err(|e| failed("put", key, e))?;
        Ok(())
    }

    pub(crate) async fn get(&self, key: &ObjectKey) -> Result<Vec<u8>> {
        let got = self
            .store
            .get(&Path::from(key.as_str()))
            .await
            .map_err(|e| failed("get", key, e))?;
        let bytes = got.bytes().await.map_err(|e| failed("get", key, e))?;
        Ok(bytes.to_vec())
    }

    /// Deletes an object; one already gone is not an error (S3 says so itself).
    pub(crate) async fn delete(&self, key: &ObjectKey) -> Result<()> {
        match self.store.delete(&Path::from(key.as_str())).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(failed("delete", key, e)),
        }
    }
}

/// `http` or `https`, or what to fix.
fn scheme(endpoint: &str) -> std::result::Result<&'static str, String> {
    if endpoint.starts_with("https://") {
        Ok("https")
    } else if endpoint.starts_with("http://") {
        Ok("http")
    } else {
        Err(format!(
            "document_store_endpoint must start with https:// (or http://), not {endpoint:?}"
        ))
    }
}

/// The store's error, naming what was asked and the key; the client's errors carry no
/// credentials.
fn failed(what: &str, key: &ObjectKey, e: object_store::Error) -> StoreError {
    StoreError::ObjectStore(format!("{what} {key}: {e}"))
}
