//! The frame around every page: the partnership's header, who is signed in, the service
//! navigation, and the stylesheet and script.

use crate::assets;
use crate::components::{ServiceNavigation, ServiceNavigationItem, SkipLink};
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
pub struct Shell {
    pub title: String,
    pub partnership: String,
    /// Name and organisation of the signed-in user.
    pub user: Option<(String, String)>,
    pub csrf: String,
    pub skip_link: SkipLink,
    /// The sections the user's roles open to them; none before signing in.
    pub nav: Option<ServiceNavigation>,
    pub css: String,
    pub js: String,
    /// govuk-frontend's bundle, which `hearth.js` loads.
    pub govuk_frontend_js: String,
    /// Prefixes the title with "Error: " so screen reader users hear it first.
    pub has_errors: bool,
}

impl Shell {
    pub fn new(state: &AppState, visitor: &Visitor, title: &str) -> Self {
        let mut shell = Self::plain(title).for_visitor(visitor);
        shell.partnership = state.settings.partnership_name.clone();
        shell
    }

    /// An error page's shell: the signed-in header and menu of whoever is asking, when it is
    /// known, so that an error never looks like being signed out.
    pub fn for_error(title: &str) -> Self {
        let shell = Self::plain(title);
        match crate::session::current_visitor() {
            Some(visitor) => shell.for_visitor(&visitor),
            None => shell,
        }
    }

    fn for_visitor(self, visitor: &Visitor) -> Self {
        let mut shell = self;
        shell.csrf = visitor.csrf().to_string();
        if let Some(actor) = visitor.actor() {
            shell.user = Some((actor.display_name.clone(), actor.organisation_name.clone()));
            if actor.hold().is_some() {
                // Nothing else opens until they have put right what holds them (ADR 0048).
                return shell;
            }
            let mut nav = vec![ServiceNavigationItem::link("/", "My work")];
            if actor.can(Capability::SearchFamilies) {
                nav.push(ServiceNavigationItem::link("/people", "Find a person"));
            }
            if actor.can(Capability::DecideRequests) {
                nav.push(ServiceNavigationItem::link("/front-door", "Front door"));
            }
            if actor.can(Capability::AllocateWork) {
                nav.push(ServiceNavigationItem::link("/team", "Your team"));
            }
            if !hearth_app::insight::Scope::open_to(actor).is_empty() {
                nav.push(ServiceNavigationItem::link("/reports", "Measuring impact"));
            }
            if actor.can(Capability::EditDirectory) {
                nav.push(ServiceNavigationItem::link("/directory", "Directory"));
            }
            if actor.can(Capability::AnswerServiceRequests) {
                nav.push(ServiceNavigationItem::link(
                    "/service-requests",
                    "Requests for your services",
                ));
            }
            if actor.can(Capability::RunHubSessions) {
                nav.push(ServiceNavigationItem::link("/hubs", "Family Hubs"));
            } else if actor.can(Capability::ViewReports) {
                nav.push(ServiceNavigationItem::link(
                    "/hubs/reach",
                    "Family Hubs' reach",
                ));
            }
            if actor.can(Capability::ManageOrganisations) {
                nav.push(ServiceNavigationItem::link(
                    "/admin/organisations",
                    "Organisations",
                ));
                nav.push(ServiceNavigationItem::link("/admin/teams", "Teams"));
                nav.push(ServiceNavigationItem::link("/admin/letters", "Letters"));
            }
            if actor.can(Capability::ManageUsers) {
                nav.push(ServiceNavigationItem::link("/admin/users", "Users"));
                nav.push(ServiceNavigationItem::link(
                    "/admin/identity-providers",
                    "Single sign-on",
                ));
                nav.push(ServiceNavigationItem::link("/admin/messages", "Messages"));
            }
            if actor.can(Capability::ViewAuditLog) {
                nav.push(ServiceNavigationItem::link("/admin/audit", "Audit log"));
            }
            if actor.can(Capability::ManageInformationRights) {
                nav.push(ServiceNavigationItem::link(
                    "/information-rights",
                    "Subject access",
                ));
                nav.push(ServiceNavigationItem::link(
                    "/admin/sharing",
                    "Sharing without consent",
                ));
                nav.push(ServiceNavigationItem::link(
                    "/admin/break-glass",
                    "Break-glass openings",
                ));
            }
            if actor.can(Capability::ProduceReturns) {
                nav.push(ServiceNavigationItem::link("/returns", "Returns"));
            }
            if actor.can(Capability::ClaimProgrammeResults) {
                nav.push(ServiceNavigationItem::link(
                    "/programme",
                    "Supporting Families",
                ));
            }
            // Practice support: the guidance is everyone's; the hub's queue its TAF Workers'.
            if actor.can(Capability::AdviseLeadProfessionals) {
                nav.push(ServiceNavigationItem::link(
                    "/hub/consultations",
                    "Consultations",
                ));
            }
            if actor.can(Capability::AuditCaseFiles) {
                nav.push(ServiceNavigationItem::link("/quality", "Case-file audits"));
            }
            if actor.can(Capability::RequestPlacements) {
                nav.push(ServiceNavigationItem::link(
                    "/care/children",
                    "Children in care",
                ));
            }
            if actor.can(Capability::CommissionPlacements) {
                nav.push(ServiceNavigationItem::link("/care", "Placements"));
                nav.push(ServiceNavigationItem::link(
                    "/care/homes",
                    "Homes and carers",
                ));
            }
            if actor.can(Capability::CommissionPlacements) || actor.can(Capability::ViewReports) {
                nav.push(ServiceNavigationItem::link(
                    "/care/sufficiency",
                    "Sufficiency",
                ));
            }
            if actor.can(Capability::MatchPartnerData) {
                nav.push(ServiceNavigationItem::link(
                    "/identification",
                    "Partners' data",
                ));
            }
            if actor.can(Capability::WorkIdentification) {
                nav.push(ServiceNavigationItem::link(
                    "/identification/worklist",
                    "Identified families",
                ));
            }
            nav.push(ServiceNavigationItem::link("/toolkits", "Guidance"));
            nav.push(ServiceNavigationItem::link(
                "/account/password",
                "Your account",
            ));
            shell.nav = Some(ServiceNavigation {
                navigation: nav,
                ..ServiceNavigation::default()
            });
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
            skip_link: SkipLink {
                text: Some("Skip to main content".into()),
                href: Some("#main-content".into()),
                ..SkipLink::default()
            },
            nav: None,
            css: assets::url("hearth.css"),
            js: assets::url("hearth.js"),
            govuk_frontend_js: assets::url("govuk-frontend.min.js"),
            has_errors: false,
        }
    }

    /// Marks the navigation item for the section the page is in.
    pub fn at(mut self, path: &str) -> Self {
        if let Some(nav) = self.nav.as_mut() {
            let href = |n: &ServiceNavigationItem| n.href.clone().unwrap_or_default();
            let best = nav
                .navigation
                .iter()
                .enumerate()
                .filter(|(_, n)| {
                    let h = href(n);
                    path == h || (h != "/" && path.starts_with(&h))
                })
                .max_by_key(|(_, n)| href(n).len())
                .map(|(i, _)| i);
            if let Some(i) = best {
                nav.navigation[i].active = true;
            }
        }
        self
    }

    pub fn with_errors(mut self, has_errors: bool) -> Self {
        self.has_errors = has_errors;
        self
    }
}
