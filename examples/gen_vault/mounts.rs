//! The mount table: the secret engines and auth methods every request is
//! routed to, pre-rendered as the mount fields of request and response blocks.

use crate::rng::Rng;

// Mount table indices.
pub const M_SECRET: usize = 0;
pub const M_KV: usize = 1;
pub const M_DB: usize = 2;
pub const M_SYS: usize = 3;
pub const M_TOKEN: usize = 4;
pub const M_APPROLE: usize = 5;
pub const M_K8S: usize = 6;
pub const M_USERPASS: usize = 7;
pub const M_LDAP: usize = 8;
pub const M_OIDC: usize = 9;

/// A mount's fields, pre-rendered for the request and the response blocks.
/// Note the asymmetry Vault has: `mount_running_version` in the request,
/// `mount_running_plugin_version` in the response.
pub struct Mount {
    pub req: String,
    pub resp: String,
}

fn mount(point: &str, kind: &str, accessor: String, version: &str, class: Option<&str>) -> Mount {
    let class = class
        .map(|c| format!(",\"mount_class\":\"{c}\""))
        .unwrap_or_default();
    let head = format!(
        "\"mount_point\":\"{point}\",\"mount_type\":\"{kind}\",\"mount_accessor\":\"{accessor}\""
    );
    Mount {
        req: format!("{head},\"mount_running_version\":\"{version}\"{class}"),
        resp: format!("{head},\"mount_running_plugin_version\":\"{version}\"{class}"),
    }
}

/// The mount table, in the order of the `M_*` indices.
pub fn build_mounts(rng: &mut Rng) -> Vec<Mount> {
    let mut acc = |prefix: &str| format!("{prefix}_{:08x}", rng.next_u64() as u32);
    let core = "v1.19.0+builtin.vault";
    let kv = "v0.21.0+builtin";
    vec![
        mount("secret/", "kv", acc("kv"), kv, Some("secret")),
        mount("kv/", "kv", acc("kv"), kv, Some("secret")),
        mount(
            "database/",
            "database",
            acc("database"),
            core,
            Some("secret"),
        ),
        mount("sys/", "system", acc("system"), core, None),
        mount(
            "auth/token/",
            "token",
            acc("auth_token"),
            core,
            Some("auth"),
        ),
        mount(
            "auth/approle/",
            "approle",
            acc("auth_approle"),
            core,
            Some("auth"),
        ),
        mount(
            "auth/kubernetes/",
            "kubernetes",
            acc("auth_kubernetes"),
            "v0.21.0+builtin",
            Some("auth"),
        ),
        mount(
            "auth/userpass/",
            "userpass",
            acc("auth_userpass"),
            core,
            Some("auth"),
        ),
        mount("auth/ldap/", "ldap", acc("auth_ldap"), core, Some("auth")),
        mount(
            "auth/oidc/",
            "oidc",
            acc("auth_oidc"),
            "v0.23.0+builtin",
            Some("auth"),
        ),
    ]
}
