//! String interning: each distinct normalised value is stored once and records carry `u32`
//! ids, so the scoring loop compares integers instead of strings.

use rustc_hash::FxHashMap;

/// A missing value: never equal to anything, not even itself.
pub const NONE: u32 = u32::MAX;
/// A value in a query that the register has never seen: equal to nothing in the register.
pub const UNSEEN: u32 = u32::MAX - 1;

/// Equality of interned values, with missing and unseen values equal to nothing.
#[inline]
pub fn same(a: u32, b: u32) -> bool {
    a == b && a < UNSEEN
}

#[derive(Debug, Default, Clone)]
pub struct Interner {
    ids: FxHashMap<Box<str>, u32>,
    strings: Vec<Box<str>>,
}

impl Interner {
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// The text of an id; empty for `NONE` and `UNSEEN`.
    pub fn text(&self, id: u32) -> &str {
        self.strings.get(id as usize).map(|s| &**s).unwrap_or("")
    }

    fn get(&self, s: &str) -> u32 {
        if s.is_empty() {
            return NONE;
        }
        self.ids.get(s).copied().unwrap_or(UNSEEN)
    }

    fn intern(&mut self, s: &str) -> u32 {
        if s.is_empty() {
            return NONE;
        }
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }
}

/// Where prepared records get their ids: a dataset being loaded adds new values; a query
/// against a built register only looks values up.
pub trait Ids {
    fn id(&mut self, s: &str) -> u32;
}

impl Ids for Interner {
    fn id(&mut self, s: &str) -> u32 {
        self.intern(s)
    }
}

/// Read-only lookups in a register's interner.
pub struct Lookup<'a>(pub &'a Interner);

impl Ids for Lookup<'_> {
    fn id(&mut self, s: &str) -> u32 {
        self.0.get(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_and_looks_up() {
        let mut i = Interner::default();
        let a = i.id("smith");
        assert_eq!(i.id("smith"), a);
        assert_ne!(i.id("jones"), a);
        assert_eq!(i.id(""), NONE);
        assert_eq!(i.text(a), "smith");
        let mut l = Lookup(&i);
        assert_eq!(l.id("smith"), a);
        assert_eq!(l.id("brown"), UNSEEN);
        assert!(same(a, a));
        assert!(!same(NONE, NONE));
        assert!(!same(UNSEEN, UNSEEN));
    }
}
