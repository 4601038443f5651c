//! The Open Referral UK 3.0 schemas in `standards/oruk-3.0`, for the tests that check
//! Hearth's answers against them.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// An ORUK 3.0 schema from `standards/oruk-3.0`, with references to sibling files inlined.
pub fn schema(file: &str) -> jsonschema::Validator {
    fn inline(v: &mut Value, dir: &Path) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref").cloned() {
                    let mut target: Value =
                        serde_json::from_str(&std::fs::read_to_string(dir.join(&r)).unwrap())
                            .unwrap();
                    inline(&mut target, dir);
                    *v = target;
                    return;
                }
                for x in map.values_mut() {
                    inline(x, dir);
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|x| inline(x, dir)),
            _ => {}
        }
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../standards/oruk-3.0")
        .join(file);
    let mut s: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    inline(&mut s, path.parent().unwrap());
    jsonschema::options()
        .should_validate_formats(true)
        .build(&s)
        .unwrap()
}

pub fn check(validator: &jsonschema::Validator, v: &Value, what: &str) {
    let problems: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        problems.is_empty(),
        "{what} fails the ORUK schema: {problems:#?}"
    );
}
