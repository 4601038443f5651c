//! The codes of children in care: the DfE's SSDA903 codes where the return has them (legal
//! status, category of need, placement type, reason a placement changed), and the placement
//! strategy's own words for what it commissions (kinds, routes, what a home offers).

/// A closed list of codes, each with its stored code and the words people read.
macro_rules! coded {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored code (the DfE's own, where it has one).
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The words people read.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

coded!(
    /// The legal status of a child looked after (SSDA903 `LS`).
    LegalStatus {
        C1 => ("C1", "Interim care order"),
        C2 => ("C2", "Full care order"),
        D1 => ("D1", "Freeing order granted"),
        E1 => ("E1", "Placement order granted"),
        J1 => ("J1", "Remanded to local authority accommodation or to youth detention accommodation"),
        J2 => ("J2", "Placed in local authority accommodation under the Police and Criminal Evidence Act 1984"),
        J3 => ("J3", "Sentenced to a youth rehabilitation order with residence or fostering requirement"),
        L1 => ("L1", "Under police protection and in local authority accommodation"),
        L2 => ("L2", "Emergency protection order"),
        L3 => ("L3", "Under a child assessment order and in local authority accommodation"),
        V2 => ("V2", "Single period of accommodation under section 20"),
        V3 => ("V3", "Accommodated under an agreed series of short-term breaks, recorded individually"),
        V4 => ("V4", "Accommodated under an agreed series of short-term breaks, recorded as a summary"),
    }
);

impl LegalStatus {
    /// Short breaks: the DfE leaves these children out of the stability measures.
    pub fn is_short_break(self) -> bool {
        matches!(self, LegalStatus::V3 | LegalStatus::V4)
    }
}

coded!(
    /// Why the child came into care (SSDA903 `CIN`, the category of need).
    CategoryOfNeed {
        N1 => ("N1", "Abuse or neglect"),
        N2 => ("N2", "Child's disability"),
        N3 => ("N3", "Parental illness or disability"),
        N4 => ("N4", "Family in acute stress"),
        N5 => ("N5", "Family dysfunction"),
        N6 => ("N6", "Socially unacceptable behaviour"),
        N7 => ("N7", "Low income"),
        N8 => ("N8", "Absent parenting"),
    }
);

coded!(
    /// Where the child is placed (SSDA903 `PLACE`).
    PlacementType {
        A3 => ("A3", "Placed for adoption with parental or guardian consent with current foster carer"),
        A4 => ("A4", "Placed for adoption with parental or guardian consent not with current foster carer"),
        A5 => ("A5", "Placed for adoption with placement order with current foster carer"),
        A6 => ("A6", "Placed for adoption with placement order not with current foster carer"),
        H5 => ("H5", "Semi-independent living accommodation not subject to children's homes regulations"),
        K1 => ("K1", "Secure children's home"),
        K2 => ("K2", "Children's home subject to children's homes regulations"),
        P1 => ("P1", "Placed with own parent or other person with parental responsibility"),
        P2 => ("P2", "Independent living, for example in a flat, lodgings or bedsit"),
        P3 => ("P3", "Residential employment"),
        R1 => ("R1", "Residential care home"),
        R2 => ("R2", "NHS or health trust or other establishment providing medical or nursing care"),
        R3 => ("R3", "Family centre or mother and baby unit"),
        R5 => ("R5", "Young offender institution or prison"),
        S1 => ("S1", "Residential school"),
        U1 => ("U1", "Foster placement with relative or friend, long-term fostering"),
        U2 => ("U2", "Foster placement with relative or friend who is also an approved adopter, fostering for adoption"),
        U3 => ("U3", "Foster placement with relative or friend, not long-term or fostering for adoption"),
        U4 => ("U4", "Foster placement with other foster carer, long-term fostering"),
        U5 => ("U5", "Foster placement with other foster carer who is also an approved adopter, fostering for adoption"),
        U6 => ("U6", "Foster placement with other foster carer, not long-term or fostering for adoption"),
        Z1 => ("Z1", "Other placement"),
    }
);

impl PlacementType {
    /// The strategy's kind of placement for this DfE code: fostering splits by whether the
    /// carers are the council's own, which the code alone does not say.
    pub fn kind(self, in_house: bool) -> SufficiencyKind {
        use PlacementType::*;
        match self {
            U1 | U2 | U3 => SufficiencyKind::Kinship,
            U4 | U5 | U6 | A3 | A5 if in_house => SufficiencyKind::InHouseFostering,
            U4 | U5 | U6 | A3 | A5 => SufficiencyKind::ExternalFostering,
            K2 | R1 | S1 => SufficiencyKind::Residential,
            K1 | R5 => SufficiencyKind::Secure,
            H5 => SufficiencyKind::SupportedAccommodation,
            P2 => SufficiencyKind::SupportedLodgings,
            R3 => SufficiencyKind::ParentAndChild,
            A4 | A6 | P1 | P3 | R2 | Z1 => SufficiencyKind::Other,
        }
    }
}

coded!(
    /// The kinds of placement the sufficiency strategy counts and commissions.
    SufficiencyKind {
        InHouseFostering => ("in_house_fostering", "In-house fostering"),
        ExternalFostering => ("external_fostering", "External fostering"),
        Kinship => ("kinship", "Kinship care"),
        Residential => ("residential", "Residential"),
        SupportedAccommodation => ("supported_accommodation", "Supported accommodation"),
        SupportedLodgings => ("supported_lodgings", "Supported lodgings"),
        Secure => ("secure", "Secure"),
        ParentAndChild => ("parent_and_child", "Parent and child"),
        Other => ("other", "Other"),
    }
);

coded!(
    /// How a home is bought, in the order the strategy looks: the council's own homes and
    /// carers first, then block contracts, then the D2N2 framework, then a spot purchase.
    Route {
        InHouse => ("in_house", "In-house"),
        Block => ("block", "Block contract"),
        Framework => ("framework", "D2N2 framework"),
        Spot => ("spot", "Spot purchase"),
    }
);

coded!(
    /// What a home or a fostering household offers, and what a child may need of one: the
    /// strategy's gaps by need.
    Offer {
        ParentAndChild => ("parent_and_child", "Parent and child"),
        SiblingGroups => ("sibling_groups", "Sibling groups"),
        UnderThrees => ("under_threes", "Under-3s"),
        Teenagers => ("teenagers", "Teenagers"),
        Disability => ("disability", "Disability"),
        Therapeutic => ("therapeutic", "Therapeutic care"),
    }
);

coded!(
    /// Ofsted's overall effectiveness grade at the home's latest inspection.
    OfstedRating {
        Outstanding => ("outstanding", "Outstanding"),
        Good => ("good", "Good"),
        RequiresImprovement => ("requires_improvement", "Requires improvement"),
        Inadequate => ("inadequate", "Inadequate"),
    }
);

impl OfstedRating {
    /// Better first, for ordering homes.
    fn rank(self) -> u8 {
        match self {
            OfstedRating::Outstanding => 0,
            OfstedRating::Good => 1,
            OfstedRating::RequiresImprovement => 2,
            OfstedRating::Inadequate => 3,
        }
    }

    /// Orders ratings best first; an unrated home (new, not yet inspected) after any rating
    /// but inadequate.
    pub fn order(rating: Option<Self>) -> u8 {
        rating.map_or(2, |r| {
            if r.rank() >= 2 {
                r.rank() + 1
            } else {
                r.rank()
            }
        })
    }
}

coded!(
    /// How soon a placement is needed.
    Urgency {
        Today => ("today", "Today (emergency)"),
        ThisWeek => ("this_week", "Within a week"),
        Planned => ("planned", "Planned move"),
    }
);

coded!(
    /// Where a placement request stands: waiting, the child placed, or no suitable home (the
    /// unmet need, kept for the sufficiency picture).
    RequestStatus {
        Open => ("open", "Waiting for a home"),
        Placed => ("placed", "Placed"),
        Unmet => ("unmet", "No suitable home"),
        /// The child's care ended while the request waited: nothing left to find.
        Withdrawn => ("withdrawn", "Withdrawn: the child's care ended"),
    }
);

coded!(
    /// Why a period of care ended (SSDA903 `REC`, the reason episode ceased), without `X1`
    /// (a new episode the same day), which is a change inside care, not its end.
    CeaseReason {
        AdoptedUnopposed => ("E11", "Adopted: application for an adoption order unopposed"),
        AdoptedConsentDispensed => ("E12", "Adopted: consent dispensed with by the court"),
        Died => ("E2", "Died"),
        OtherAuthority => ("E3", "Care taken over by another local authority in the UK"),
        HomePlanned => ("E4A", "Returned home to parents or others with parental responsibility, as part of the care plan"),
        HomeUnplanned => ("E4B", "Returned home to parents or others with parental responsibility, not as part of the care plan"),
        LivesWithoutResponsibility => ("E13", "Left care to live with parents, relatives or others without parental responsibility"),
        ChildArrangementOrder => ("E41", "Residence order or child arrangement order granted"),
        SgoFosterRelative => ("E45", "Special guardianship order to former foster carers who are relatives or friends"),
        SgoFosterOther => ("E46", "Special guardianship order to former foster carers, not relatives or friends"),
        SgoCarerRelative => ("E47", "Special guardianship order to other carers who are relatives or friends"),
        SgoCarerOther => ("E48", "Special guardianship order to other carers, not relatives or friends"),
        IndependentSupported => ("E5", "Moved to independent living with formal advice or support"),
        IndependentUnsupported => ("E6", "Moved to independent living without formal advice or support"),
        AdultSocialCare => ("E7", "Transferred to residential care funded by adult social care"),
        Custody => ("E9", "Sentenced to custody"),
        RemandEnded => ("E14", "Accommodation on remand ended"),
        AgeAssessed => ("E15", "Age assessment found the child is 18 or over"),
        MovedAbroad => ("E16", "Child moved abroad"),
        StayingPut => ("E17", "Aged 18 or over and stayed with current carers (staying put)"),
        Other => ("E8", "Care ended for any other reason"),
    }
);

coded!(
    /// Why a placement ended (SSDA903 `REASON_PLACE_CHANGE`).
    EndReason {
        CarePlan => ("CARPL", "Change to or carrying out of the care plan"),
        Closure => ("CLOSE", "Resignation of the carer or closure of the provision"),
        Allegation => ("ALLEG", "Allegation (section 47 enquiry)"),
        Standards => ("STAND", "Standards of care concern"),
        ApprovalRemoved => ("APPRR", "Approval removed"),
        CarerBehaviour => ("CREQB", "Carers asked for the placement to end because of the child's behaviour"),
        CarerOther => ("CREQO", "Carers asked for the placement to end, not because of the child's behaviour"),
        Child => ("CHILD", "The child asked for the placement to end"),
        Authority => ("LAREQ", "The responsible authority asked for the placement to end"),
        StatusOnly => ("PLACE", "A change in the status of the placement only"),
        Other => ("OTHER", "Other"),
    }
);

impl EndReason {
    /// An ending nobody planned: the placement broke down around the child.
    pub fn is_breakdown(self) -> bool {
        use EndReason::*;
        matches!(
            self,
            Allegation | Standards | CarerBehaviour | CarerOther | Child
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in LegalStatus::ALL {
            assert_eq!(LegalStatus::from_code(s.code()), Some(*s));
        }
        for p in PlacementType::ALL {
            assert_eq!(PlacementType::from_code(p.code()), Some(*p));
        }
        for r in EndReason::ALL {
            assert_eq!(EndReason::from_code(r.code()), Some(*r));
        }
        for r in CeaseReason::ALL {
            assert_eq!(CeaseReason::from_code(r.code()), Some(*r));
        }
        // X1 (a new episode the same day) is not an end of care.
        assert_eq!(CeaseReason::from_code("X1"), None);
        assert_eq!(PlacementType::from_code("Q9"), None);
    }

    #[test]
    fn placement_codes_mean_the_strategys_kinds() {
        use PlacementType::*;
        use SufficiencyKind as K;
        let table = [
            (U4, true, K::InHouseFostering),
            (U6, false, K::ExternalFostering),
            (U1, true, K::Kinship),
            (U3, false, K::Kinship),
            (K2, false, K::Residential),
            (K1, true, K::Secure),
            (H5, false, K::SupportedAccommodation),
            (P2, true, K::SupportedLodgings),
            (R3, false, K::ParentAndChild),
            (P1, true, K::Other),
        ];
        for (code, in_house, kind) in table {
            assert_eq!(code.kind(in_house), kind, "{code:?} in-house {in_house}");
        }
    }

    #[test]
    fn breakdowns_are_the_unplanned_endings() {
        assert!(EndReason::CarerBehaviour.is_breakdown());
        assert!(EndReason::Child.is_breakdown());
        assert!(!EndReason::CarePlan.is_breakdown());
        assert!(!EndReason::StatusOnly.is_breakdown());
        assert!(LegalStatus::V3.is_short_break() && !LegalStatus::C2.is_short_break());
    }

    #[test]
    fn ratings_order_best_first_with_unrated_before_weak() {
        let order = |r| OfstedRating::order(r);
        assert!(order(Some(OfstedRating::Outstanding)) < order(Some(OfstedRating::Good)));
        assert!(order(Some(OfstedRating::Good)) < order(None));
        assert!(order(None) < order(Some(OfstedRating::RequiresImprovement)));
    }
}
