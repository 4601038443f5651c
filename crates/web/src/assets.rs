//! Static assets, embedded in the binary and served under names that carry a hash of their
//! content, so browsers may cache them for a year and still never see a stale file.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(RustEmbed)]
#[folder = "assets/"]
struct Assets;

/// name → fingerprinted name, e.g. `hearth.css` → `hearth.3f2a9c1e.css`.
fn fingerprints() -> &'static HashMap<String, String> {
    static MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    MAP.get_or_init(|| {
        Assets::iter()
            .filter_map(|name| {
                let file = Assets::get(&name)?;
                let hash = hex::encode(&file.metadata.sha256_hash()[..6]);
                let fingerprinted = match name.rsplit_once('.') {
                    Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
                    None => format!("{name}.{hash}"),
                };
                Some((name.to_string(), fingerprinted))
            })
            .collect()
    })
}

/// The URL of an asset, e.g. `/assets/hearth.3f2a9c1e.css`.
pub fn url(name: &str) -> String {
    match fingerprints().get(name) {
        Some(f) => format!("/assets/{f}"),
        None => format!("/assets/{name}"),
    }
}

pub async fn serve(Path(file): Path<String>) -> Response {
    let original = fingerprints()
        .iter()
        .find(|(_, f)| **f == file)
        .map(|(name, _)| name.clone());
    let Some(name) = original else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(content) = Assets::get(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mime = mime_guess::from_path(&name).first_or_octet_stream();
    (
        [
            (header::CONTENT_TYPE, mime.as_ref().to_string()),
            (
                header::CACHE_CONTROL,
                "public, max-age=31536000, immutable".to_string(),
            ),
        ],
        content.data.into_owned(),
    )
        .into_response()
}
