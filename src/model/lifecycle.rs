//! The packet lifecycle, written once: the states a work packet moves through, the
//! transitions between them, and what each transition requires. The workflow guide's
//! flow is `Backlog → Ready for Dev → In Progress → Ready for Validation → Done
//! (VALIDATED)`, plus Blocked and Superseded. The lifecycle commands (`gov ready`,
//! `start`, `submit`, `verdict`, `block`, `unblock`, `supersede`) ask this module
//! whether a move is allowed; `status` asks it which command moves a WP on.

use super::status::StatusKind;
use serde::Serialize;

/// A lifecycle state. Statuses that documents spell differently but mean the same
/// (`Stub` and `Backlog`, `Done` and `Validated`) are one state here.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Backlog (or Stub): not ready to start.
    Backlog,
    /// Ready for Dev: signed, may be started.
    ReadyForDev,
    /// In Progress: a coder works on it.
    InProgress,
    /// Ready for Validation: submitted, awaiting the validator.
    ReadyForValidation,
    /// Done (or Validated): the validator's PASS is recorded.
    Done,
    /// Blocked, on WPs or for a reason.
    Blocked,
    /// Superseded by another packet.
    Superseded,
}

impl State {
    pub const ALL: [State; 7] = [
        State::Backlog,
        State::ReadyForDev,
        State::InProgress,
        State::ReadyForValidation,
        State::Done,
        State::Blocked,
        State::Superseded,
    ];

    pub fn of(kind: StatusKind) -> State {
        match kind {
            StatusKind::Backlog | StatusKind::Stub => State::Backlog,
            StatusKind::ReadyForDev => State::ReadyForDev,
            StatusKind::InProgress => State::InProgress,
            StatusKind::ReadyForValidation => State::ReadyForValidation,
            StatusKind::Done | StatusKind::Validated => State::Done,
            StatusKind::Blocked => State::Blocked,
            StatusKind::Superseded => State::Superseded,
        }
    }

    /// The status a writer records for this state.
    pub fn kind(self) -> StatusKind {
        match self {
            State::Backlog => StatusKind::Backlog,
            State::ReadyForDev => StatusKind::ReadyForDev,
            State::InProgress => StatusKind::InProgress,
            State::ReadyForValidation => StatusKind::ReadyForValidation,
            State::Done => StatusKind::Done,
            State::Blocked => StatusKind::Blocked,
            State::Superseded => StatusKind::Superseded,
        }
    }

    /// Words of the state, as a packet's STATUS line spells them before styling:
    /// `Ready for Dev`, `Done`.
    pub fn words(self) -> &'static [&'static str] {
        match self {
            State::Backlog => &["Backlog"],
            State::ReadyForDev => &["Ready", "for", "Dev"],
            State::InProgress => &["In", "Progress"],
            State::ReadyForValidation => &["Ready", "for", "Validation"],
            State::Done => &["Done"],
            State::Blocked => &["Blocked"],
            State::Superseded => &["Superseded"],
        }
    }

    pub fn label(self) -> &'static str {
        self.kind().label()
    }

    /// A state no transition leaves except supersession: the work is closed.
    pub fn is_final(self) -> bool {
        matches!(self, State::Done | State::Superseded)
    }
}

/// A lifecycle move, named after the command that makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// `gov ready`.
    Ready,
    /// `gov start`.
    Start,
    /// `gov submit`.
    Submit,
    /// `gov verdict <WP> PASS`.
    Pass,
    /// `gov verdict <WP> FAIL`.
    Fail,
    /// `gov block`.
    Block,
    /// `gov unblock`.
    Unblock,
    /// `gov supersede`.
    Supersede,
}

/// What must hold before a transition is made. Each is checked by the command, on
/// the documents as they would be after the move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// `gov pre-work` passes (complete, anchored, signed, dependencies validated).
    PreWork,
    /// No In-Progress WP's IN_SCOPE_PATHS overlap this one's (part of pre-work).
    NoFileLockOverlap,
    /// `gov post-work` passes on the change.
    PostWork,
    /// A validation report body is given.
    Report,
    /// A blocker WP or a reason is given.
    BlockerOrReason,
    /// Every WP the entry is blocked on is VALIDATED.
    BlockersValidated,
    /// The replacing packet exists.
    Replacement,
}

impl Requirement {
    pub fn describe(self) -> &'static str {
        match self {
            Requirement::PreWork => "pre-work passes",
            Requirement::NoFileLockOverlap => "no In-Progress WP holds an overlapping scope path",
            Requirement::PostWork => "post-work passes",
            Requirement::Report => "a validation report is given",
            Requirement::BlockerOrReason => "a blocker WP or a reason is given",
            Requirement::BlockersValidated => "every blocker is VALIDATED",
            Requirement::Replacement => "the replacing packet exists",
        }
    }
}

/// One allowed move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Transition {
    pub action: Action,
    pub command: &'static str,
    pub from: &'static [State],
    /// `None` for unblock: the state the WP had when it was blocked.
    pub to: Option<State>,
    pub requires: &'static [Requirement],
}

use State::*;

/// Every move a packet can make. Nothing else is a lifecycle transition.
pub const TRANSITIONS: [Transition; 8] = [
    Transition {
        action: Action::Ready,
        command: "ready",
        from: &[Backlog],
        to: Some(ReadyForDev),
        requires: &[Requirement::PreWork],
    },
    Transition {
        action: Action::Start,
        command: "start",
        from: &[ReadyForDev],
        to: Some(InProgress),
        requires: &[Requirement::PreWork, Requirement::NoFileLockOverlap],
    },
    Transition {
        action: Action::Submit,
        command: "submit",
        from: &[InProgress],
        to: Some(ReadyForValidation),
        requires: &[Requirement::PostWork],
    },
    Transition {
        action: Action::Pass,
        command: "verdict PASS",
        from: &[ReadyForValidation],
        to: Some(Done),
        requires: &[Requirement::Report],
    },
    Transition {
        action: Action::Fail,
        command: "verdict FAIL",
        from: &[ReadyForValidation],
        to: Some(InProgress),
        requires: &[Requirement::Report],
    },
    Transition {
        action: Action::Block,
        command: "block",
        from: &[Backlog, ReadyForDev, InProgress, ReadyForValidation],
        to: Some(Blocked),
        requires: &[Requirement::BlockerOrReason],
    },
    Transition {
        action: Action::Unblock,
        command: "unblock",
        from: &[Blocked],
        to: None,
        requires: &[Requirement::BlockersValidated],
    },
    Transition {
        action: Action::Supersede,
        command: "supersede",
        from: &[
            Backlog,
            ReadyForDev,
            InProgress,
            ReadyForValidation,
            Blocked,
        ],
        to: Some(Superseded),
        requires: &[Requirement::Replacement],
    },
];

pub fn transition(action: Action) -> &'static Transition {
    TRANSITIONS
        .iter()
        .find(|t| t.action == action)
        .unwrap_or(&TRANSITIONS[0])
}

/// Why a move is not allowed from a state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub action: Action,
    pub from: State,
    /// The states the move starts from.
    pub allowed_from: Vec<State>,
}

impl Refused {
    pub fn reason(&self) -> String {
        let names: Vec<&str> = self.allowed_from.iter().map(|s| s.label()).collect();
        format!(
            "`{}` moves a packet from {} only; this one is {}",
            transition(self.action).command,
            names.join(" or "),
            self.from.label()
        )
    }
}

/// Where `action` takes a packet in `from`; `restore` is the state to return to on
/// unblock (the state before the block).
pub fn target(action: Action, from: State, restore: State) -> Result<State, Refused> {
    let t = transition(action);
    if !t.from.contains(&from) {
        return Err(Refused {
            action,
            from,
            allowed_from: t.from.to_vec(),
        });
    }
    Ok(t.to.unwrap_or(restore))
}

/// Whether a packet can go from `a` to `b` in one move.
pub fn can_move(a: State, b: State) -> bool {
    TRANSITIONS.iter().any(|t| {
        t.from.contains(&a)
            && match t.to {
                Some(to) => to == b,
                // unblock returns to any state a block starts from
                None => transition(Action::Block).from.contains(&b),
            }
    })
}

/// Whether `b` can follow `a` through any number of moves (`a == b` included).
pub fn reachable(a: State, b: State) -> bool {
    let mut seen = vec![a];
    let mut i = 0;
    while i < seen.len() {
        let s = seen[i];
        for next in State::ALL {
            if can_move(s, next) && !seen.contains(&next) {
                seen.push(next);
            }
        }
        i += 1;
    }
    seen.contains(&b)
}

/// The gov command that moves a WP on from `state`, for `status`'s `next`.
pub fn next_command(state: State, id: &str) -> Option<String> {
    Some(match state {
        Backlog => format!("gov ready {id}"),
        ReadyForDev => format!("gov start {id}"),
        InProgress => format!("gov submit {id}"),
        ReadyForValidation => format!("gov verdict {id} PASS|FAIL --report <FILE>"),
        Blocked => format!("gov unblock {id}"),
        Done | Superseded => return None,
    })
}

/// One recorded move (a gate-state STATUS_SYNC event), in log order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub wp_id: String,
    pub from: State,
    pub to: State,
    /// 0-based index of the entry in the log.
    pub index: usize,
}

/// A recorded history the lifecycle cannot have produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Impossible {
    pub wp_id: String,
    pub index: Option<usize>,
    pub why: String,
}

/// The moves of each WP, checked in order: each must be an allowed move, start where
/// the previous one ended, and the packet's state now (`now`, when known) must be
/// reachable from where the last one ended. A gap means a status was changed by
/// hand past a gate.
pub fn impossible_sequences(
    moves: &[Recorded],
    now: impl Fn(&str) -> Option<State>,
) -> Vec<Impossible> {
    let mut last: Vec<(&str, State)> = Vec::new();
    let mut out = Vec::new();
    for m in moves {
        let prev = last.iter().find(|(w, _)| *w == m.wp_id).map(|(_, s)| *s);
        if !can_move(m.from, m.to) {
            out.push(Impossible {
                wp_id: m.wp_id.clone(),
                index: Some(m.index),
                why: format!(
                    "a move from {} to {} is not a lifecycle move",
                    m.from.label(),
                    m.to.label()
                ),
            });
        } else if let Some(p) = prev.filter(|p| *p != m.from && !reachable(*p, m.from)) {
            out.push(Impossible {
                wp_id: m.wp_id.clone(),
                index: Some(m.index),
                why: format!(
                    "the previous move ended in {} but this one starts from {}",
                    p.label(),
                    m.from.label()
                ),
            });
        }
        last.retain(|(w, _)| *w != m.wp_id);
        last.push((&m.wp_id, m.to));
    }
    for (wp, end) in last {
        if let Some(cur) = now(wp).filter(|c| !reachable(end, *c)) {
            out.push(Impossible {
                wp_id: wp.to_string(),
                index: None,
                why: format!("the last recorded move ended in {}, and no move leads from there to the packet's {}", end.label(), cur.label()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_line_moves_forward_one_step_at_a_time() {
        let line = [Backlog, ReadyForDev, InProgress, ReadyForValidation, Done];
        for w in line.windows(2) {
            assert!(can_move(w[0], w[1]), "{:?} -> {:?}", w[0], w[1]);
        }
        assert!(!can_move(Backlog, InProgress));
        assert!(!can_move(ReadyForDev, Done));
        assert!(!can_move(Done, InProgress));
        assert!(!can_move(Superseded, Backlog));
        assert!(
            can_move(ReadyForValidation, InProgress),
            "FAIL returns to work"
        );
    }

    #[test]
    fn targets_and_refusals() {
        assert_eq!(target(Action::Ready, Backlog, Backlog), Ok(ReadyForDev));
        assert_eq!(target(Action::Unblock, Blocked, InProgress), Ok(InProgress));
        let r = target(Action::Submit, ReadyForDev, Backlog).unwrap_err();
        assert_eq!(r.allowed_from, vec![InProgress]);
        assert!(
            r.reason().contains("from In Progress only"),
            "{}",
            r.reason()
        );
        assert!(target(Action::Block, Done, Backlog).is_err());
        assert!(target(Action::Supersede, Superseded, Backlog).is_err());
        assert!(target(Action::Pass, InProgress, Backlog).is_err());
    }

    #[test]
    fn statuses_map_to_states() {
        assert_eq!(State::of(StatusKind::Stub), Backlog);
        assert_eq!(State::of(StatusKind::Validated), Done);
        for s in State::ALL {
            assert_eq!(State::of(s.kind()), s);
        }
    }

    #[test]
    fn reachability_follows_the_moves() {
        assert!(reachable(Backlog, Done));
        assert!(reachable(Blocked, Done));
        assert!(!reachable(Done, InProgress));
        assert!(!reachable(Superseded, Done));
        assert!(reachable(Done, Done));
    }

    #[test]
    fn impossible_sequences_are_found() {
        let m = |i, from, to| Recorded {
            wp_id: "WP-1-A".into(),
            from,
            to,
            index: i,
        };
        let ok = [m(0, Backlog, ReadyForDev), m(1, ReadyForDev, InProgress)];
        assert!(impossible_sequences(&ok, |_| Some(InProgress)).is_empty());
        // a hand edit from Done back to In Progress
        let found = impossible_sequences(&ok[..1], |_| Some(InProgress));
        assert!(found.is_empty(), "Ready for Dev reaches In Progress");
        let done = [m(0, ReadyForValidation, Done)];
        let found = impossible_sequences(&done, |_| Some(InProgress));
        assert_eq!(found.len(), 1);
        assert!(found[0].why.contains("ended in Done"), "{:?}", found);
        // a recorded jump and a gap
        let bad = [m(0, Backlog, Done)];
        assert_eq!(impossible_sequences(&bad, |_| None)[0].index, Some(0));
        let gap = [
            m(0, ReadyForValidation, Done),
            m(1, ReadyForDev, InProgress),
        ];
        assert_eq!(impossible_sequences(&gap, |_| None)[0].index, Some(1));
    }

    #[test]
    fn next_commands_name_the_lifecycle_commands() {
        assert_eq!(
            next_command(ReadyForDev, "WP-1-A").as_deref(),
            Some("gov start WP-1-A")
        );
        assert_eq!(next_command(Done, "WP-1-A"), None);
    }
}
