//! The frame around every page: the partnership's header, who is signed in, the service
//! navigation, and the stylesheet and script.

use crate::assets;
use crate::session::Visitor;
use crate::AppState;
use hearth_domain::role::Capability;
use std::sync::OnceLock;

static PARTNERSHIP: OnceLock<String> = OnceLock::new();

/// Remembers the partnership's name for pages rendered without the application state (errors).
pub fn remember_partnership(name: &str) {
    let _ = PARTNERSHIP.set(name.to_string());
}

#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub text: &'static str,
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct Shell {
    pub title: String,
    pub partnership: String,
    /// Name and organisation of the signed-in user.
    pub user: Option<(String, String)>,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    pub css: String,
    pub js: String,
    /// Prefixes the title with "Error: " so screen reader users hear it first.
    pub has_errors: bool,
}

impl Shell {
    pub fn new(state: &AppState, visitor: &Visitor, title: &str) -> Self {
        let mut shell = Self::plain(title);
        shell.partnership = state.settings.partnership_name.clone();
        shell.csrf = visitor.csrf().to_string();
        if let Some(actor) = visitor.actor() {
            shell.user = Some((actor.display_name.clone(), actor.organisation_name.clone()));
            let mut nav = vec![NavItem {
                href: "/",
                text: "My work",
                active: false,
            }];
            if actor.can(Capability::ManageOrganisations) {
                nav.push(NavItem {
                    href: "/admin/organisations",
                    text: "Organisations",
                    active: false,
                });
                nav.push(NavItem {
                    href: "/admin/teams",
                    text: "Teams",
                    active: false,
                });
            }
            if actor.can(Capability::ManageUsers) {
                nav.push(NavItem {
                    href: "/admin/users",
                    text: "Users",
                    active: false,
                });
            }
            if actor.can(Capability::ViewAuditLog) {
                nav.push(NavItem {
                    href: "/admin/audit",
                    text: "Audit log",
                    active: false,
                });
            }
            nav.push(NavItem {
                href: "/account/password",
                text: "Your account",
                active: false,
            });
            shell.nav = nav;
        }
        shell
    }

    /// A shell with no user, for error pages.
    pub fn plain(title: &str) -> Self {
        Self {
            title: title.to_string(),
            partnership: PARTNERSHIP
                .get()
                .cloned()
                .unwrap_or_else(|| "Hearth".into()),
            user: None,
            csrf: String::new(),
            nav: Vec::new(),
            css: assets::url("hearth.css"),
            js: assets::url("hearth.js"),
            has_errors: false,
        }
    }

    /// Marks the navigation item for the section the page is in.
    pub fn at(mut self, path: &str) -> Self {
        let best = self
            .nav
            .iter()
            .enumerate()
            .filter(|(_, n)| path == n.href || (n.href != "/" && path.starts_with(n.href)))
            .max_by_key(|(_, n)| n.href.len())
            .map(|(i, _)| i);
        if let Some(i) = best {
            self.nav[i].active = true;
        }
        self
    }

    pub fn with_errors(mut self, has_errors: bool) -> Self {
        self.has_errors = has_errors;
        self
    }
}
