//! The demo partnership: synthetic organisations, teams and one user for each role, shaped
//! like Nottingham City's. No real person's data. Seeding is idempotent.

mod areas;
pub mod care;
pub mod city;
pub mod directory;
pub mod families;
mod guidance;
pub mod hubs;
mod programme;
mod training;

use crate::accounts::admin::{OrganisationForm, TeamForm, UserForm};
use crate::accounts::auth::event;
use crate::{AppError, Hearth, Origin};
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::OrganisationId;
use hearth_domain::role::Role;
use hearth_store::{accounts::organisations, accounts::teams, accounts::users, audit, Store};

/// The password demo users get when `HEARTH_DEMO_PASSWORD` is not set.
pub const DEFAULT_DEMO_PASSWORD: &str = "family-help-demo";

struct DemoOrganisation {
    name: &'static str,
    kind: &'static str,
    identifier: &'static str,
    teams: &'static [&'static str],
}

const ORGANISATIONS: &[DemoOrganisation] = &[
    DemoOrganisation {
        name: "Nottingham City Council (demo)",
        kind: "local_authority",
        identifier: "E06000018",
        teams: &[
            "Front door (MASH)",
            "Targeted Family Help core team",
            "Adolescence Service",
            "Children's social care",
            "Bestwood Family Hub",
            "Broxtowe Family Hub",
            "Meadows Family Hub",
            "Hyson Green Family Hub",
            "Children's social care",
            "Family Help performance and quality",
            "Information governance",
            "Systems administration",
            "Placements and commissioning",
        ],
    },
    DemoOrganisation {
        name: "Oakfield Primary School (demo)",
        kind: "school",
        identifier: "900001",
        teams: &["Pastoral team"],
    },
    DemoOrganisation {
        name: "Trentside Academy (demo)",
        kind: "school",
        identifier: "900002",
        teams: &["Safeguarding team"],
    },
    DemoOrganisation {
        name: "City 0-19 Health Service (demo)",
        kind: "health",
        identifier: "ZZ901",
        teams: &["Health visiting", "School nursing"],
    },
    DemoOrganisation {
        name: "Nottinghamshire Police (demo)",
        kind: "police",
        identifier: "POLICE-DEMO",
        teams: &["Early intervention"],
    },
    DemoOrganisation {
        name: "City Homes (demo)",
        kind: "housing",
        identifier: "HOUSING-DEMO",
        teams: &["Tenancy sustainment"],
    },
    DemoOrganisation {
        name: "DWP Jobcentre Plus (demo)",
        kind: "dwp",
        identifier: "DWP-DEMO",
        teams: &["Family employment advisers"],
    },
    DemoOrganisation {
        name: "Family Friends Volunteers (demo)",
        kind: "voluntary_community",
        identifier: "9000001",
        teams: &["Home visiting volunteers"],
    },
    DemoOrganisation {
        name: "Young Minds Together (demo)",
        kind: "voluntary_community",
        identifier: "9000002",
        teams: &["Youth wellbeing"],
    },
    DemoOrganisation {
        name: "Meadows Community Pantry (demo)",
        kind: "voluntary_community",
        identifier: "9000003",
        teams: &["Advice and support"],
    },
];

struct DemoUser {
    email: &'static str,
    name: &'static str,
    job_title: &'static str,
    organisation: &'static str,
    team: &'static str,
    role: Role,
}

const COUNCIL: &str = "Nottingham City Council (demo)";

const USERS: &[DemoUser] = &[
    DemoUser {
        email: "admin@demo.hearth.test",
        name: "Ada Administrator",
        job_title: "Systems administrator",
        organisation: COUNCIL,
        team: "Systems administration",
        role: Role::Administrator,
    },
    DemoUser {
        email: "lead@demo.hearth.test",
        name: "Lee Lead",
        job_title: "Pastoral lead",
        organisation: "Oakfield Primary School (demo)",
        team: "Pastoral team",
        role: Role::LeadProfessional,
    },
    DemoUser {
        email: "practitioner@demo.hearth.test",
        name: "Priya Practitioner",
        job_title: "Health visitor",
        organisation: "City 0-19 Health Service (demo)",
        team: "Health visiting",
        role: Role::Practitioner,
    },
    DemoUser {
        email: "frontdoor@demo.hearth.test",
        name: "Frankie Frontdoor",
        job_title: "MASH officer",
        organisation: COUNCIL,
        team: "Front door (MASH)",
        role: Role::FrontDoorOfficer,
    },
    DemoUser {
        email: "worker@demo.hearth.test",
        name: "Wren Worker",
        job_title: "Family Help Worker",
        organisation: COUNCIL,
        team: "Targeted Family Help core team",
        role: Role::FamilyHelpWorker,
    },
    DemoUser {
        email: "manager@demo.hearth.test",
        name: "Morgan Manager",
        job_title: "Team manager",
        organisation: COUNCIL,
        team: "Targeted Family Help core team",
        role: Role::TeamManager,
    },
    DemoUser {
        email: "directory@demo.hearth.test",
        name: "Dana Directory",
        job_title: "Family Hub information officer",
        organisation: COUNCIL,
        team: "Bestwood Family Hub",
        role: Role::DirectoryEditor,
    },
    DemoUser {
        email: "analyst@demo.hearth.test",
        name: "Ari Analyst",
        job_title: "Performance analyst",
        organisation: COUNCIL,
        team: "Family Help performance and quality",
        role: Role::Analyst,
    },
    DemoUser {
        email: "dpo@demo.hearth.test",
        name: "Devi Protection",
        job_title: "Data protection officer",
        organisation: COUNCIL,
        team: "Information governance",
        role: Role::DataProtectionOfficer,
    },
    DemoUser {
        email: "reviewer@demo.hearth.test",
        name: "Rowan Reviewer",
        job_title: "Family Hub directory lead",
        organisation: COUNCIL,
        team: "Hyson Green Family Hub",
        role: Role::DirectoryReviewer,
    },
    DemoUser {
        email: "vcs-editor@demo.hearth.test",
        name: "Val Volunteer-Editor",
        job_title: "Volunteer coordinator",
        organisation: "Family Friends Volunteers (demo)",
        team: "Home visiting volunteers",
        role: Role::DirectoryEditor,
    },
    DemoUser {
        email: "vcs-worker@demo.hearth.test",
        name: "Kit Keyworker",
        job_title: "Family support keyworker",
        organisation: "Family Friends Volunteers (demo)",
        team: "Home visiting volunteers",
        role: Role::Practitioner,
    },
    DemoUser {
        email: "hub@demo.hearth.test",
        name: "Harper Hub",
        job_title: "Family Hub worker",
        organisation: COUNCIL,
        team: "Bestwood Family Hub",
        role: Role::HubWorker,
    },
    DemoUser {
        email: "taf-worker@demo.hearth.test",
        name: "Tamsin Tafworker",
        job_title: "TAF Worker",
        organisation: COUNCIL,
        team: "Bestwood Family Hub",
        role: Role::TafWorker,
    },
    DemoUser {
        email: "quality@demo.hearth.test",
        name: "Quinn Quality",
        job_title: "Quality assurance officer",
        organisation: COUNCIL,
        team: "Family Help performance and quality",
        role: Role::QualityAuditor,
    },
    DemoUser {
        email: "social-worker@demo.hearth.test",
        name: "Sol Socialworker",
        job_title: "Social worker, children in care",
        organisation: COUNCIL,
        team: "Children's social care",
        role: Role::SocialWorker,
    },
    DemoUser {
        email: "placements@demo.hearth.test",
        name: "Pat Placements",
        job_title: "Placements commissioning officer",
        organisation: COUNCIL,
        team: "Placements and commissioning",
        role: Role::PlacementsOfficer,
    },
    DemoUser {
        email: "matching@demo.hearth.test",
        name: "Mo Matching",
        job_title: "Early identification analyst",
        organisation: COUNCIL,
        team: "Family Help performance and quality",
        role: Role::PartnerDataAnalyst,
    },
    DemoUser {
        email: "programme@demo.hearth.test",
        name: "Pip Programme",
        job_title: "Supporting Families programme lead",
        organisation: COUNCIL,
        team: "Family Help performance and quality",
        role: Role::ProgrammeLead,
    },
    // Internal audit of a claim's sample is someone other than the one who signs it off.
    DemoUser {
        email: "programme-audit@demo.hearth.test",
        name: "Ira Auditor",
        job_title: "Supporting Families internal auditor",
        organisation: COUNCIL,
        team: "Family Help performance and quality",
        role: Role::ProgrammeLead,
    },
];

/// What seeding did and who can sign in.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub organisations_added: usize,
    pub teams_added: usize,
    pub users_added: usize,
    pub services_added: usize,
    /// (email, role) of every demo user.
    pub users: Vec<(&'static str, Role)>,
}

impl Hearth {
    /// Adds whatever of the demo partnership is missing. Existing records (and passwords) are
    /// left as they are, so running it again changes nothing.
    pub async fn seed_demo(&self, password: &str) -> Result<DemoSummary, AppError> {
        let mut summary = DemoSummary {
            organisations_added: 0,
            teams_added: 0,
            users_added: 0,
            services_added: 0,
            users: USERS.iter().map(|u| (u.email, u.role)).collect(),
        };
        for org in ORGANISATIONS {
            let org_id = match self.find_organisation(org.name).await? {
                Some(o) => o.id,
                None => {
                    summary.organisations_added += 1;
                    self.create_organisation(
                        None,
                        &OrganisationForm {
                            name: org.name.into(),
                            kind: org.kind.into(),
                            identifier: org.identifier.into(),
                        },
                    )
                    .await?
                }
            };
            for team in org.teams {
                if self.find_team(org_id, team).await?.is_none() {
                    summary.teams_added += 1;
                    self.create_team(
                        None,
                        &TeamForm {
                            organisation_id: org_id.to_string(),
                            name: (*team).into(),
                            description: String::new(),
                        },
                    )
                    .await?;
                }
            }
        }
        for user in USERS {
            let mut conn = self.store.read().await?;
            let exists = users::find_for_sign_in(&mut conn, user.email)
                .await?
                .is_some();
            drop(conn);
            if exists {
                continue;
            }
            let org = self
                .find_organisation(user.organisation)
                .await?
                .ok_or(AppError::NotFound)?;
            let team = self.find_team(org.id, user.team).await?;
            summary.users_added += 1;
            self.create_user(
                None,
                &UserForm {
                    email: user.email.into(),
                    display_name: user.name.into(),
                    job_title: user.job_title.into(),
                    phone: "0115 496 0000".into(),
                    organisation_id: org.id.to_string(),
                    team_id: team.map(|t| t.id.to_string()).unwrap_or_default(),
                    roles: vec![user.role.code().into()],
                    password: password.into(),
                },
            )
            .await?;
        }
        summary.services_added = self.seed_demo_directory().await?;
        self.seed_demo_areas().await?;
        if summary.organisations_added + summary.teams_added + summary.users_added > 0 {
            let mut e = event(
                None,
                "system",
                AuditAction::DemoSeeded,
                &Origin::default(),
                self.now(),
            );
            e.detail = Some(format!(
                r#"{{"organisations":{},"teams":{},"users":{},"services":{}}}"#,
                summary.organisations_added,
                summary.teams_added,
                summary.users_added,
                summary.services_added
            ));
            let mut tx = self.store.write().await?;
            audit::append(&mut tx, &e).await?;
            Store::commit(tx).await?;
        }
        Ok(summary)
    }

    async fn find_team(
        &self,
        org: OrganisationId,
        name: &str,
    ) -> Result<Option<teams::Team>, AppError> {
        let mut conn = self.store.read().await?;
        Ok(teams::find_by_name(&mut conn, org, name).await?)
    }

    /// How many accounts exist (to tell a fresh install how to create the first one).
    pub async fn user_count(&self) -> Result<i64, AppError> {
        let mut conn = self.store.read().await?;
        Ok(users::count(&mut conn).await?)
    }

    /// Organisations for the command line's `--org` lookup.
    pub async fn organisation_names(&self) -> Result<Vec<String>, AppError> {
        let mut conn = self.store.read().await?;
        Ok(organisations::list(&mut conn)
            .await?
            .into_iter()
            .map(|o| o.name)
            .collect())
    }
}
