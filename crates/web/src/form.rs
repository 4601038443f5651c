//! Reading submitted forms, and keeping a visitor's input when a form cannot be accepted.

use crate::error::WebError;
use crate::session::{Visitor, CSRF_FIELD};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use hearth_app::accounts::drafts::KeptForm;
use serde::de::DeserializeOwned;

/// One field of an urlencoded body.
pub fn field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded_pairs(body)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn form_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).unwrap_or_default()
}

/// A form body parsed into `T` (repeated fields such as checkboxes become a `Vec`).
///
/// Never flatten a form's parts into one struct: flatten hands the inner struct
/// values already read without knowing which fields are lists, so a checkbox group with one
/// box ticked (a single value) cannot be read as a list and the whole form is refused. A form
/// made of parts is read with [`FormParts`], each part by its own field names.
pub struct Form<T>(pub T);

/// Reads a form body as `T`; what the form reader cannot read is a 400 that says what to do.
fn read<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebError> {
    serde_html_form::from_bytes(body).map_err(|_| {
        WebError::BadRequest(
            "The form could not be read. Go back, check your answers and try again.".into(),
        )
    })
}

async fn body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, WebError> {
    Bytes::from_request(req, state)
        .await
        .map_err(|_| WebError::BadRequest("The form could not be read. Try again.".into()))
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        read(&body(req, state).await?).map(Form)
    }
}

/// One form body read as two parts, each by its own field names (what serde's `flatten`
/// would do, without losing which fields are lists): say, an edit's version and its fields,
/// or the step a form is at and the answers. Fields of one part are ignored by the other.
pub struct FormParts<A, B>(pub A, pub B);

impl<S: Send + Sync, A: DeserializeOwned, B: DeserializeOwned> FromRequest<S> for FormParts<A, B> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = body(req, state).await?;
        Ok(FormParts(read(&bytes)?, read(&bytes)?))
    }
}

/// What someone submitted, kept so they can send it again. Passwords are never echoed back.
#[derive(Debug, Clone, Default)]
pub struct ResumedForm {
    pub path: String,
    pub fields: Vec<(String, String)>,
}

impl ResumedForm {
    pub fn from_body(path: &str, body: &[u8]) -> Self {
        Self::from_pairs(path, form_urlencoded_pairs(body))
    }

    pub fn from_pairs(path: &str, pairs: Vec<(String, String)>) -> Self {
        Self {
            path: safe_path(path).to_string(),
            fields: pairs
                .into_iter()
                .filter(|(k, _)| k != CSRF_FIELD && !k.contains("password"))
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The answers as a person reads them: (question, answer), leaving out what the form
    /// carries for itself (a version, the people it offered).
    pub fn answers(&self) -> Vec<(String, &str)> {
        self.fields
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "version" | "offered"))
            .map(|(k, v)| (question(k), v.as_str()))
            .collect()
    }

    /// The form as a draft to keep until its user signs in again.
    pub fn kept(&self) -> KeptForm {
        KeptForm {
            path: self.path.clone(),
            fields: serde_urlencoded::to_string(&self.fields).unwrap_or_default(),
        }
    }

    /// A kept draft as a form again.
    pub fn from_kept(kept: &KeptForm) -> Self {
        Self::from_pairs(
            &kept.path,
            serde_urlencoded::from_str(&kept.fields).unwrap_or_default(),
        )
    }
}

/// A field's name in words: `given_by` is "Given by", `directory_service.0` "Directory
/// service 1" (rows are counted from one on the page).
fn question(name: &str) -> String {
    let words: Vec<String> = name
        .split(['_', '.'])
        .filter(|w| !w.is_empty())
        .map(|w| match w.parse::<u32>() {
            Ok(n) => (n + 1).to_string(),
            Err(_) => w.to_string(),
        })
        .collect();
    let text = words.join(" ");
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Only a path on this site; anything else becomes the home page.
pub fn safe_path(path: &str) -> &str {
    if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') {
        path
    } else {
        "/"
    }
}

/// A form's answers shown back: after signing in again, ready to send (`after_sign_in`); or,
/// when its token was missing or wrong, as text to copy with nothing that would send them
/// (`refused`), since the form may have come from another site.
#[derive(Template)]
#[template(path = "resubmit.html")]
pub struct ResubmitPage {
    pub shell: Shell,
    pub resumed: ResumedForm,
    /// The token for "Send again"; `None` shows the answers read-only, with no form.
    pub csrf: Option<String>,
    pub heading: &'static str,
    pub explanation: &'static str,
}

impl ResubmitPage {
    /// "We could not check this form": the answers to copy, never a form to send them.
    pub fn refused(state: &AppState, visitor: &Visitor, resumed: ResumedForm) -> Self {
        Self {
            shell: Shell::new(state, visitor, "Your answers have not been saved"),
            csrf: None,
            resumed,
            heading: "Your answers have not been saved yet",
            explanation: "We could not check that this form came from Hearth, for example because it was open for a long time, in another window, or sent from another website. Nothing was saved. If you were filling it in, your answers are shown below: copy them, open the form again in Hearth and enter them there.",
        }
    }

    /// After signing in again: a kept form whose page cannot show it back in place, to check
    /// and send.
    pub fn after_sign_in(state: &AppState, visitor: &Visitor, resumed: ResumedForm) -> Self {
        Self {
            shell: Shell::new(state, visitor, "Check and send again"),
            csrf: Some(visitor.csrf().to_string()),
            resumed,
            heading: "You are signed in again",
            explanation: "You were signed out before your answers were saved. They were kept and are below: check them, then select the button to save them now.",
        }
    }
}

impl IntoResponse for ResubmitPage {
    fn into_response(self) -> Response {
        match self.render() {
            Ok(html) => {
                let mut res = (StatusCode::FORBIDDEN, Html(html)).into_response();
                if self.csrf.is_none() {
                    res.extensions_mut()
                        .insert(crate::error::ShownError::FormRefused(self.resumed));
                }
                res
            }
            Err(e) => WebError::Internal(e.to_string()).into_response(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;
    use serde::Deserialize;

    #[test]
    fn answers_read_as_questions_without_the_forms_own_fields() {
        let r = ResumedForm::from_body(
            "/p",
            b"version=3&given_by=Dad&directory_service.0=x&offered=abc&share_with=School",
        );
        assert_eq!(
            r.answers(),
            vec![
                ("Given by".to_string(), "Dad"),
                ("Directory service 1".to_string(), "x"),
                ("Share with".to_string(), "School"),
            ]
        );
    }

    #[test]
    fn passwords_and_tokens_are_not_carried() {
        let r = ResumedForm::from_body(
            "/admin/users/new",
            b"csrf_token=x&email=a%40b.org&password=secret&new_password=s&name=A+B",
        );
        assert_eq!(
            r.fields,
            vec![
                ("email".into(), "a@b.org".into()),
                ("name".into(), "A B".into())
            ]
        );
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Roles {
        #[serde(default)]
        roles: Vec<String>,
        #[serde(default)]
        name: String,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Version {
        #[serde(default)]
        version: i64,
    }

    fn parts(body: &str) -> (Version, Roles) {
        let bytes = body.as_bytes();
        (read(bytes).unwrap(), read(bytes).unwrap())
    }

    #[test]
    fn a_checkbox_group_reads_with_none_one_or_several_ticked() {
        let (v, r) = parts("version=3&name=A+B");
        assert_eq!((v.version, r.roles.len()), (3, 0));
        let (v, r) = parts("version=3&name=A+B&roles=analyst");
        assert_eq!((v.version, r.roles), (3, vec!["analyst".to_string()]));
        let (_, r) = parts("roles=analyst&version=3&roles=practitioner");
        assert_eq!(r.roles, vec!["analyst", "practitioner"]);
        assert_eq!(r.name, "");
    }

    /// Flatten is what made one ticked checkbox unreadable; forms are read in parts instead.
    #[test]
    fn no_form_or_query_is_flattened() {
        let mut found = Vec::new();
        for root in ["src", "../app/src"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(root);
            for file in rust_files(&dir) {
                let text = std::fs::read_to_string(&file).unwrap();
                if text.contains(concat!("serde(", "flatten")) {
                    found.push(file.display().to_string());
                }
            }
        }
        assert!(
            found.is_empty(),
            "read these forms with FormParts: {found:?}"
        );
    }

    fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
        out
    }

    #[test]
    fn only_local_paths_are_kept() {
        assert_eq!(safe_path("/admin"), "/admin");
        assert_eq!(safe_path("//evil.example"), "/");
        assert_eq!(safe_path("https://evil.example"), "/");
    }
}
