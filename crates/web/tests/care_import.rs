//! The placements team's import of a 903 return and its providers, over real HTTP on both
//! engines, through the no-JavaScript forms (ADR 0055): the return's files uploaded together
//! (multipart, with the form's token), the report naming the child imported and each row not
//! taken by file and line; no file chosen says what to do; a provider added with a framework
//! membership, which a home then follows; and a social worker refused both (403, audited).

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_testkit::app::{actor, audited};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use hearth_testkit::server::Server;
use reqwest::StatusCode;

const HEADER: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,FORENAME,SURNAME\n\
    C100,M,10/03/2011,WBRI,UN5,,,Kofi,Mensah\n";
const EPISODES: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
    C100,03/06/2025,S,C2,N1,U4,PR1,,,,NG7 5AA,NG11 9BB,SC900010\n\
    C200,04/06/2025,S,C2,N1,U4,PR1,31/02/2026,E4A,,NG7 5AA,NG11 9BB,SC900010\n";

both_engines!(
    the_placements_team_imports_a_903_return_and_keeps_providers,
    |store| async move {
        let s = Server::start(store.clone()).await;
        let sw = actor(&s.hearth, "social-worker@demo.hearth.test").await;
        Family::new("Mensah")
            .child("Kofi", "10/03/2011")
            .address("1 Gregory Boulevard", "NG7 5AA")
            .add(&s.hearth, &sw)
            .await;
        s.sign_in("placements@demo.hearth.test").await;
        let csrf = s.csrf("/care/import").await;
        let upload = |files: Vec<(&'static str, &'static str)>| {
            let mut form = reqwest::multipart::Form::new().text("csrf_token", csrf.clone());
            for (name, text) in files {
                form = form.part(
                    "files",
                    reqwest::multipart::Part::bytes(text.as_bytes().to_vec()).file_name(name),
                );
            }
            s.client.post(s.url("/care/import")).multipart(form).send()
        };
        let res = upload(vec![]).await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(body.contains("Choose the return") && body.contains("href=\"#files\""));

        let res = upload(vec![
            ("2026_header.csv", HEADER),
            ("2026_episodes.csv", EPISODES),
        ])
        .await
        .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let body = res.text().await.unwrap();
        assert!(body.contains("Children imported: 1 (0 already"), "{body}");
        assert!(body.contains(">C100</a>"));
        assert!(
            body.contains("2026_episodes.csv") && body.contains("31/02/2026"),
            "{body}"
        );
        assert_eq!(audited(&store, "care_child_imported").await, 1);

        // A provider on the framework, and a home that belongs to it.
        let csrf = s.csrf("/care/providers/new").await;
        let res = s
            .post(
                "/care/providers/new",
                &[
                    ("csrf_token", &csrf),
                    ("name", "Hillside Care Ltd"),
                    ("ofsted_urn", "SC100200"),
                    ("kind", "voluntary"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let list = s.get("/care/providers").await.text().await.unwrap();
        assert!(list.contains("Hillside Care Ltd") && list.contains("Spot purchase"));
        let provider = s
            .hearth
            .care_providers(&actor(&s.hearth, "placements@demo.hearth.test").await)
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.fields.name == "Hillside Care Ltd")
            .unwrap()
            .id
            .to_string();
        let res = s
            .post(
                &format!("/care/providers/{provider}/contracts"),
                &[
                    ("csrf_token", &csrf),
                    ("kind", "framework"),
                    ("contract_name", "D2N2 fostering"),
                    ("places", ""),
                    ("starts-day", "1"),
                    ("starts-month", "4"),
                    ("starts-year", "2024"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let page = s
            .get(&format!("/care/providers/{provider}?done=contract"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("D2N2 fostering") && page.contains("D2N2 framework"));
        let form = s.get("/care/homes/new").await.text().await.unwrap();
        assert!(form.contains(&format!("value=\"{provider}\"")));
        let res = s
            .post(
                "/care/homes/new",
                &[
                    ("csrf_token", &csrf),
                    ("name", "Hillside carers"),
                    ("provider_id", &provider),
                    ("placement_type", "U6"),
                    ("registered_places", "2"),
                    ("vacancies", "1"),
                    ("age_from", "0"),
                    ("age_to", "17"),
                    ("postcode", "NG9 1AA"),
                    ("weekly_cost", "800"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let homes = s.get("/care/homes").await.text().await.unwrap();
        let at = homes.find("Hillside carers").unwrap();
        assert!(homes[at..].contains("D2N2 framework"));

        // A social worker may neither import nor keep providers: refused, audited.
        let mut other = s.new_browser();
        other.sign_in_fresh("social-worker@demo.hearth.test").await;
        let refused = audited(&store, "access_denied").await;
        assert_eq!(
            other.get("/care/import").await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            other.get("/care/providers").await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(audited(&store, "access_denied").await, refused + 2);
    }
);
