//! One writer per Secrets Manager and SSM call: the parameters, response,
//! resources and side records (the KMS `Decrypt` a secret read triggers,
//! the per-secret `GetSecretValue` a batch read logs) of each.

use crate::ACCOUNT;
use crate::catalogue::{KMS, SECRETSMANAGER, SSM, Svc};
use crate::json::{put, put_str, put_uuid, uuid};
use crate::render::{
    Failure, Rec, close, end_resources, ids, no_response, not_authorized, open, resource, response,
};
use crate::rng::Rng;
use crate::secrets::{Form, Parameter};
use crate::summary::Tally;
use crate::world::World;

/// Which version of a secret a read asks for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Stage {
    /// No version given: `AWSCURRENT`.
    Default,
    Label(&'static str),
    VersionId,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Outcome {
    Ok,
    /// `AccessDeniedException`; `null_params`: logged with
    /// `"requestParameters":null` (the secret is only in `errorMessage`).
    Denied {
        null_params: bool,
    },
    /// `ResourceNotFoundException`: an error, not a denial, no value.
    NotFound,
}

const NOT_FOUND: &str = "Secrets Manager can't find the specified secret value for";

/// Where one event's records go, and the randomness they draw on.
pub struct Out<'a> {
    pub b: &'a mut Vec<u8>,
    pub rng: &'a mut Rng,
    pub tally: &'a mut Tally,
    pub w: &'a World,
}

impl<'a> Out<'a> {
    /// A record of `who`; it borrows the world, not `self`.
    pub(crate) fn rec(
        &mut self,
        who: usize,
        t: i64,
        svc: &'static Svc,
        name: &'static str,
        cli: &'static str,
    ) -> Rec<'a> {
        let w: &'a World = self.w;
        Rec::new(&w.principals[who], t, svc, name, cli, self.rng)
    }

    // -- Secrets Manager ------------------------------------------------

    /// `GetSecretValue`; `kms`: also log the KMS `Decrypt` it caused.
    #[allow(clippy::too_many_arguments)]
    pub fn get_secret_value(
        &mut self,
        who: usize,
        t: i64,
        s: usize,
        form: Form,
        stage: Stage,
        outcome: Outcome,
        kms: bool,
    ) {
        let w = self.w;
        let secret = &w.secrets[s];
        let id = secret.id(form);
        let mut r = self.rec(
            who,
            t,
            &SECRETSMANAGER,
            "GetSecretValue",
            "secretsmanager.get-secret-value",
        );
        let null_params = matches!(outcome, Outcome::Denied { null_params: true });
        r.error = match outcome {
            Outcome::Ok => None,
            Outcome::Denied { .. } => Some(Failure {
                code: "AccessDeniedException",
                message: not_authorized(
                    r.who,
                    "secretsmanager:GetSecretValue",
                    Some(if null_params { &secret.arn } else { id }),
                ),
            }),
            Outcome::NotFound => Some(Failure {
                code: "ResourceNotFoundException",
                message: match stage {
                    Stage::Label(label) => format!("{NOT_FOUND} staging label: {label}"),
                    _ => format!("{NOT_FOUND} VersionId: {}", uuid(self.rng)),
                },
            }),
        };
        let b = &mut *self.b;
        open(b, self.tally, &r);
        if null_params {
            put(b, "null");
        } else {
            put(b, "{\"secretId\":");
            put_str(b, id);
            match stage {
                Stage::Default => {}
                Stage::Label(label) => {
                    put(b, ",\"versionStage\":\"");
                    put(b, label);
                    b.push(b'"');
                }
                Stage::VersionId => {
                    put(b, ",\"versionId\":\"");
                    put_uuid(b, self.rng);
                    b.push(b'"');
                }
            }
            b.push(b'}');
        }
        no_response(b);
        ids(b, self.rng, &r);
        close(b, self.rng, &r, None, false);
        if outcome == Outcome::Ok && kms {
            self.kms_decrypt_secret(who, t, s);
        }
    }

    /// The KMS `Decrypt` Secrets Manager makes for a caller's read: logged
    /// under the caller's identity with `invokedBy`, and naming the secret's
    /// full ARN in its encryption context (a trap for byte-level matching:
    /// it is not a read by that API).
    pub fn kms_decrypt_secret(&mut self, who: usize, t: i64, s: usize) {
        let w = self.w;
        let secret = &w.secrets[s];
        let mut r = self.rec(who, t, &KMS, "Decrypt", "kms.decrypt");
        r.via = Some("secretsmanager.amazonaws.com");
        let b = &mut *self.b;
        open(b, self.tally, &r);
        put(
            b,
            "{\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\",\"encryptionContext\":{\"SecretARN\":",
        );
        put_str(b, &secret.arn);
        put(b, ",\"SecretVersionId\":\"");
        put_uuid(b, self.rng);
        put(b, "\"}}");
        no_response(b);
        ids(b, self.rng, &r);
        resource(b, true, "AWS::KMS::Key", &w.kms_keys[secret.kms_key]);
        end_resources(b);
        close(b, self.rng, &r, None, false);
    }

    pub fn describe_secret(&mut self, who: usize, t: i64, s: usize, form: Form) {
        let w = self.w;
        let r = self.rec(
            who,
            t,
            &SECRETSMANAGER,
            "DescribeSecret",
            "secretsmanager.describe-secret",
        );
        let b = &mut *self.b;
        open(b, self.tally, &r);
        put(b, "{\"secretId\":");
        put_str(b, w.secrets[s].id(form));
        b.push(b'}');
        no_response(b);
        ids(b, self.rng, &r);
        close(b, self.rng, &r, None, false);
    }

    /// `ListSecrets`, filtered by a name prefix or not.
    pub fn list_secrets(&mut self, who: usize, t: i64, name_filter: Option<&str>) {
        let r = self.rec(
            who,
            t,
            &SECRETSMANAGER,
            "ListSecrets",
            "secretsmanager.list-secrets",
        );
        let b = &mut *self.b;
        open(b, self.tally, &r);
        match name_filter {
            Some(prefix) => {
                put(b, "{\"filters\":[{\"key\":\"name\",\"values\":[");
                put_str(b, prefix);
                put(b, "]}],\"maxResults\":100}");
            }
            None if self.rng.chance(0.5) => put(b, "{\"maxResults\":100}"),
            None => put(
                b,
                "{\"includePlannedDeletion\":false,\"sortOrder\":\"desc\",\"maxResults\":20}",
            ),
        }
        no_response(b);
        ids(b, self.rng, &r);
        close(b, self.rng, &r, None, false);
    }

    /// `BatchGetSecretValue` by list, followed by the `GetSecretValue`
    /// AWS logs for each secret it returned (full ARNs, same caller, same
    /// second): one access, logged twice.
    pub fn batch_get(&mut self, who: usize, t: i64, list: &[(usize, Form)]) {
        let w = self.w;
        let r = self.rec(
            who,
            t,
            &SECRETSMANAGER,
            "BatchGetSecretValue",
            "secretsmanager.batch-get-secret-value",
        );
        let b = &mut *self.b;
        open(b, self.tally, &r);
        put(b, "{\"secretIdList\":[");
        for (i, &(s, form)) in list.iter().enumerate() {
            if i > 0 {
                b.push(b',');
            }
            put_str(b, w.secrets[s].id(form));
        }
        put(b, "]}");
        no_response(b);
        ids(b, self.rng, &r);
        close(b, self.rng, &r, None, false);
        for &(s, _) in list {
            self.get_secret_value(who, t, s, Form::Full, Stage::Default, Outcome::Ok, false);
        }
    }

    /// `BatchGetSecretValue` by filter: the log does not say which secrets
    /// matched (the per-secret events that follow do; none are written here).
    pub fn batch_get_filtered(&mut self, who: usize, t: i64) {
        let r = self.rec(
            who,
            t,
            &SECRETSMANAGER,
            "BatchGetSecretValue",
            "secretsmanager.batch-get-secret-value",
        );
        let b = &mut *self.b;
        open(b, self.tally, &r);
        put(
            b,
            "{\"filters\":[{\"key\":\"tag-key\",\"values\":[\"team\"]},{\"key\":\"tag-value\",\"values\":[\"platform\"]}],\"maxResults\":20}",
        );
        no_response(b);
        ids(b, self.rng, &r);
        close(b, self.rng, &r, None, false);
    }

    /// A rotation step or a deploy writing a new version: a write, not a read.
    pub fn put_secret_value(&mut self, who: usize, t: i64, s: usize) {
        let w = self.w;
        let secret = &w.secrets[s];
        let mut r = self.rec(
            who,
            t,
            &SECRETSMANAGER,
            "PutSecretValue",
            "secretsmanager.put-secret-value",
        );
        r.read_only = false;
        let b = &mut *self.b;
        open(b, self.tally, &r);
        put(b, "{\"secretId\":");
        put_str(b, &secret.arn);
        put(b, ",\"clientRequestToken\":\"");
        put_uuid(b, self.rng);
        put(
            b,
            "\",\"secretString\":\"HIDDEN_DUE_TO_SECURITY_REASONS\",\"versionStages\":[\"AWSPENDING\"]}",
        );
        response(b);
        put(b, "{\"arn\":");
        put_str(b, &secret.arn);
        put(b, ",\"name\":");
        put_str(b, &secret.name);
        put(b, ",\"versionId\":\"");
        put_uuid(b, self.rng);
        put(b, "\",\"versionStages\":[\"AWSPENDING\"]}");
        ids(b, self.rng, &r);
        close(b, self.rng, &r, None, false);
    }

    // -- SSM Parameter Store ----------------------------------------------

    /// `GetParameter` (one name) or `GetParameters` (several);
    /// `decrypt`: `withDecryption`, absent when `None`.
    pub fn get_parameters(
        &mut self,
        who: usize,
        t: i64,
        params: &[usize],
        decrypt: Option<bool>,
        denied: bool,
    ) {
        let w = self.w;
        let single = params.len() == 1;
        let (name, cli, action) = if single {
            ("GetParameter", "ssm.get-parameter", "ssm:GetParameter")
        } else {
            ("GetParameters", "ssm.get-parameters", "ssm:GetParameters")
        };
        let mut r = self.rec(who, t, &SSM, name, cli);
        if denied {
            r.error = Some(Failure {
                code: "AccessDeniedException",
                message: not_authorized(r.who, action, Some(&w.params[params[0]].arn)),
            });
        }
        let b = &mut *self.b;
        open(b, self.tally, &r);
        if single {
            put(b, "{\"name\":");
            put_str(b, &w.params[params[0]].name);
        } else {
            put(b, "{\"names\":[");
            for (i, &p) in params.iter().enumerate() {
                if i > 0 {
                    b.push(b',');
                }
                put_str(b, &w.params[p].name);
            }
            b.push(b']');
        }
        match decrypt {
            Some(true) => put(b, ",\"withDecryption\":true}"),
            Some(false) => put(b, ",\"withDecryption\":false}"),
            None => b.push(b'}'),
        }
        no_response(b);
        ids(b, self.rng, &r);
        for (i, &p) in params.iter().enumerate() {
            put(b, if i == 0 { ",\"resources\":[" } else { "," });
            put(b, "{\"accountId\":\"");
            put(b, ACCOUNT);
            put(b, "\",\"ARN\":");
            put_str(b, &w.params[p].arn);
            b.push(b'}');
        }
        end_resources(b);
        close(b, self.rng, &r, None, false);
        if !denied && decrypt == Some(true) {
            for &p in params {
                if w.params[p].secure {
                    self.kms_decrypt_parameter(who, t, &w.params[p]);
                }
            }
        }
    }

    pub fn get_parameters_by_path(
        &mut self,
        who: usize,
        t: i64,
        path: &str,
        recursive: bool,
        decrypt: bool,
    ) {
        let r = self.rec(
            who,
            t,
            &SSM,
            "GetParametersByPath",
            "ssm.get-parameters-by-path",
        );
        let b = &mut *self.b;
        open(b, self.tally, &r);
        put(b, "{\"path\":");
        put_str(b, path);
        put(
            b,
            if recursive {
                ",\"recursive\":true"
            } else {
                ",\"recursive\":false"
            },
        );
        put(
            b,
            if decrypt {
                ",\"withDecryption\":true}"
            } else {
                ",\"withDecryption\":false}"
            },
        );
        no_response(b);
        ids(b, self.rng, &r);
        close(b, self.rng, &r, None, false);
    }

    fn kms_decrypt_parameter(&mut self, who: usize, t: i64, p: &Parameter) {
        let w = self.w;
        let mut r = self.rec(who, t, &KMS, "Decrypt", "kms.decrypt");
        r.via = Some("ssm.amazonaws.com");
        let b = &mut *self.b;
        open(b, self.tally, &r);
        put(b, "{\"encryptionContext\":{\"PARAMETER_ARN\":");
        put_str(b, &p.arn);
        put(b, "},\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}");
        no_response(b);
        ids(b, self.rng, &r);
        resource(b, true, "AWS::KMS::Key", &w.kms_keys[0]);
        end_resources(b);
        close(b, self.rng, &r, None, false);
    }
}
