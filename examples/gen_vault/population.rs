//! The random population: ~3,000 identities of every auth method, with
//! counts per kind as in a mid-sized company, after the planted cast.

use crate::catalogue::{APP_SUFFIXES, ENVS, FIRST, LAST, TEAMS, TOKEN_NAMES, pick_env};
use crate::rng::Rng;
use crate::scenario::{self, Cast};
use crate::specs::{Entity, Kind, Spec, SpecList, approle_spec, human_spec, k8s_spec, token_spec};

/// All identity specs: the planted cast first, then ~3,000 random ones.
pub fn build_specs(rng: &mut Rng) -> (Vec<Spec>, Cast) {
    let mut list = SpecList::default();
    let cast = scenario::cast(rng, &mut list);
    add_random(rng, &mut list);
    (list.specs, cast)
}

/// Random identities, counts per kind adding up to ~3,000 with the cast.
fn add_random(rng: &mut Rng, list: &mut SpecList) {
    list.add_many(rng, 696, |rng| {
        let (team, env) = (rng.below(TEAMS.len()), pick_env(rng));
        let mut role = format!("{}-{}", TEAMS[team], rng.pick(&APP_SUFFIXES));
        if env > 0 {
            role = format!("{role}-{}", ENVS[env]);
        }
        approle_spec(rng, &role, team, env)
    });
    list.add_many(rng, 1195, |rng| {
        let (team, env) = (rng.below(TEAMS.len()), pick_env(rng));
        let t = TEAMS[team];
        let ns = if env == 0 {
            t.to_string()
        } else {
            format!("{t}-{}", ENVS[env])
        };
        let suffix = rng.pick(&APP_SUFFIXES);
        let sa = match rng.below(3) {
            0 => suffix.to_string(),
            1 => format!("{t}-{suffix}"),
            _ => format!("{suffix}-v2"),
        };
        k8s_spec(rng, &ns, &sa, team, env)
    });
    let person = |rng: &mut Rng| (*rng.pick(&FIRST), *rng.pick(&LAST));
    list.add_many(rng, 247, |rng| {
        let (f, l) = person(rng);
        let team = rng.below(TEAMS.len());
        human_spec(rng, Kind::Userpass, &format!("{f}.{l}"), team)
    });
    list.add_many(rng, 349, |rng| {
        let (f, l) = person(rng);
        let initial: String = f.chars().take(1).collect();
        let n = rng.below(4);
        let user = if n == 0 {
            format!("{initial}{l}")
        } else {
            format!("{initial}{l}{n}")
        };
        let team = rng.below(TEAMS.len());
        human_spec(rng, Kind::Ldap, &user, team)
    });
    list.add_many(rng, 349, |rng| {
        let (f, l) = person(rng);
        let team = rng.below(TEAMS.len());
        human_spec(rng, Kind::Oidc, &format!("{f}.{l}@example.com"), team)
    });
    // Tokens made by hand with `vault token create -display-name=...`: their
    // names are free text, so about 1% of all identities carry `&` or `<`.
    list.add_many(rng, 112, |rng| {
        let name = format!("{}-{}", rng.pick(&TOKEN_NAMES), rng.range(1, 99));
        let entity = if rng.chance(0.5) {
            Entity::Id
        } else {
            Entity::Empty
        };
        token_spec(rng, &name, None, entity)
    });
    list.add_many(rng, 29, |rng| {
        let n = rng.range(1, 99);
        let (name, purpose) = match rng.below(4) {
            0 => (format!("ops&sre-{n}"), "pager & escalation"),
            1 => (format!("r&d-sandbox-{n}"), "r&d <sandbox>"),
            2 => (format!("<unnamed>-{n}"), "created by <script>"),
            _ => (format!("qa<perf>-{n}"), "load tests > 10k rps"),
        };
        token_spec(rng, &name, Some(purpose), Entity::Empty)
    });
    // Batch tokens: no accessor, no entity; only the display name identifies them.
    list.add_many(rng, 5, |rng| {
        let name = format!("batch-ci-{}", rng.range(1, 999));
        let mut spec = token_spec(rng, &name, None, Entity::Absent);
        spec.kind = Kind::BatchToken;
        spec.ttl = 3600;
        spec
    });
}
