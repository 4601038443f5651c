//! Family Hubs' pages over real HTTP on both engines: the wards' populations pasted by an
//! analyst (every bad row listed by its line, nothing imported, then the share of under-fives
//! on the reach page), and the pages refused to those whose roles do not reach them.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_testkit::both_engines;
use hearth_testkit::server::Server;
use reqwest::StatusCode;

both_engines!(
    an_analyst_pastes_the_wards_populations_and_reads_the_share_reached,
    |store| async move {
        let s = Server::start(store).await;
        s.sign_in("analyst@demo.hearth.test").await;
        let (status, doc) = s.page("/hubs/population").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            doc.html().contains("Wards&#39; under-fives populations")
                || doc.html().contains("Wards' under-fives populations")
        );

        let csrf = s.csrf("/hubs/population").await;
        let bad = "ward,hub,under_fives\nBestwood,Bestwood Family Hub,400\nBulwell,Nowhere,3\n";
        let res = s
            .post("/hubs/population", &[("csrf_token", &csrf), ("csv", bad)])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(
            html.contains("<title>Error: "),
            "the title says there is an error"
        );
        assert!(html.contains("Line 3: no Family Hub is called"));
        // What was pasted comes back to correct.
        assert!(html.contains("Bulwell,Nowhere,3"));

        let good = "ward,hub,under_fives\nBestwood,Bestwood Family Hub,400\nMeadows,Meadows,250\n";
        let res = s
            .post("/hubs/population", &[("csrf_token", &csrf), ("csv", good)])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let next = res.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(next, "/hubs/population?wards=2");
        assert!(s.page(&next).await.1.html().contains("2 wards imported."));
        let (status, reach) = s.page("/hubs/reach").await;
        assert_eq!(status, StatusCode::OK);
        let html = reach.html();
        assert!(html.contains("Under-fives reached, by ward"));
        assert!(
            html.contains("Under-fives reached, by Family Hub&#39;s area")
                || html.contains("Under-fives reached, by Family Hub's area")
        );
        // When the reach was worked out, and the link that works it out again for the same
        // period (ADR 0040).
        assert!(html.contains("Worked out at"));
        let link = scraper::Selector::parse(r#"#worked-out a[href*="again=yes"]"#).unwrap();
        let again = reach
            .select(&link)
            .next()
            .and_then(|a| a.value().attr("href"))
            .expect("a link to work the reach out again")
            .to_string();
        assert!(again.starts_with("/hubs/reach?from="), "{again}");
        let (status, again) = s.page(&again).await;
        assert_eq!(status, StatusCode::OK);
        assert!(again.html().contains("Under-fives reached, by ward"));

        // A hub worker may neither paste populations nor read the reach.
        let hub = s.new_browser();
        hub.sign_in("hub@demo.hearth.test").await;
        assert_eq!(
            hub.get("/hubs/population").await.status(),
            StatusCode::FORBIDDEN
        );
        let csrf = hub.csrf("/hubs").await;
        assert_eq!(
            hub.post("/hubs/population", &[("csrf_token", &csrf), ("csv", good)])
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
    }
);
