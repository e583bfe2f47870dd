//! Typed-answer matching: is what a player typed the answer to a question?
//!
//! A [`Matcher`] is built once per question from its accepted answers (the answer and its
//! aliases from the pack) and its confusables (other names of the same kind from the pack), and
//! then judges each typed answer cheaply. The verdict is [`Verdict::Right`],
//! [`Verdict::NearMiss`] (a moderator may accept it) or [`Verdict::Wrong`].
//!
//! # Rules
//!
//! 1. **Normalisation**, on both sides: Unicode NFKD with diacritics removed, lowercase,
//!    punctuation turned into spaces, apostrophes dropped, spaces collapsed
//!    ([`crate::text::fold`]); leading articles and titles stripped, repeatedly, but never the
//!    last word ("The USS Enterprise" = "Enterprise", "Admiral Picard" = "Picard"; see
//!    `normalize::LEADING`); numbers read as digits ("ten" = "10", "twenty-one" = "21",
//!    "eighth" = "8th" = "8"); dates read into `YYYY-MM-DD` or `YYYY-MM` ("23rd January 2020" =
//!    "January 23, 2020" = "2020-01-23"; "Aug 2018" = "2018-08"). An all-digit date whose day
//!    and month are both 12 or less ("03/04/2020") is read both ways and is right if either
//!    reading is; if the other reading is exactly a confusable it is a near miss instead.
//!    (An accepted answer or confusable written so is read day first only.)
//! 2. **Exact**: the normalised input equal to an accepted answer is right. Equal to a
//!    confusable (or to a surname that some confusable has, see 3) it is wrong. A confusable
//!    that normalises to an accepted answer is ignored: the pack contradicts itself and the
//!    accepted answer wins.
//! 3. **Surnames and first names** of answers that look like names (two or more plain words,
//!    none a connective such as "of" or "and"; so not "Seven of Nine"): a proper suffix of the
//!    words ("Frakes" for "Jonathan Frakes", "Inigo Soong" for "Altan Inigo Soong") is right
//!    when surnames are on ([`Options::surnames`]) and no confusable contains that run of
//!    words; "Soong" is wrong when a confusable is another Soong. With surnames off a unique
//!    suffix is a near miss. A proper prefix ("Raffi" for "Raffi Musiker") that no confusable
//!    contains is a near miss (unless rule 4 makes it right): first names count as right
//!    only as pack aliases. Closeness of these near misses: the share of the answer's
//!    letters typed.
//! 4. **Typos**: Damerau-Levenshtein distance (optimal string alignment, from `strsim`) to each
//!    accepted answer or surname, on the canonical form and on the literal words (so "Sevn of
//!    Nine" is one edit from "Seven of Nine"). Allowed edits grow with the target's letters and
//!    digits: none up to 4 ("Worf" is not "Word"), 1 for 5–8, 2 for 9–14, 15% (rounded down)
//!    beyond. Numbers, dates and single letters never bend: each one in the input must be one
//!    of the target's ("Part 2" is never a typo of "Part 1"; "2021" is not "2020";
//!    "Enterprise-E" is not "Enterprise-D"; leaving one out is only a typo: "Enterprise" may
//!    be "Enterprise-D" unless a confusable is as close).
//! 5. **Confusables win ties**: the input is compared with the confusables (and their
//!    surnames) in the same way. It is right only if within the allowed edits of an accepted
//!    answer and strictly closer (by closeness, below) to it than to every confusable; a near
//!    miss likewise; otherwise wrong ("Dahj" is not "Data", "Riker" is not "Rios").
//! 6. **Near miss**: up to twice the allowed edits (at least one), with a closeness of at least
//!    [`MIN_NEAR_MISS`]; closeness is `1 - edits / length` (characters of the longer side), so
//!    1 means identical. Further away is wrong.
//! 7. **Whole answers only**: the whole input is compared, never searched for the answer, so
//!    "air" is not "chair" (wrong: closeness 0.6) and a sentence that contains the answer ("I
//!    think it is Data") is wrong, not a near miss: a sentence can name several candidates, and
//!    a near miss there would invite hedged guesses for the moderator to pick from.

mod dates;
mod normalize;
mod numbers;

use serde::{Deserialize, Serialize};

use crate::quiz::{Category, Question};
use normalize::{Normal, Reading, normalize};

/// A near miss needs at least this closeness; below it the input is wrong ("air" for
/// "chair" is 0.6).
pub const MIN_NEAR_MISS: f64 = 0.65;

/// The judgement of one typed answer.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Counts as the right answer.
    Right,
    /// Close to an accepted answer but not close enough to count; a moderator may accept it.
    /// `closeness` is in 0..1, 1 meaning identical.
    NearMiss { closeness: f64 },
    /// Not the answer.
    Wrong,
}

impl Verdict {
    pub fn is_right(self) -> bool {
        self == Verdict::Right
    }
}

/// How a matcher treats partial names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// A unique surname alone ("Frakes" for "Jonathan Frakes") counts as right; otherwise it
    /// is a near miss.
    pub surnames: bool,
}

/// Judges typed answers to one question. Build it once per question (the normalised forms
/// are precomputed) and call [`Matcher::judge`] for each typed answer.
#[derive(Clone, Debug)]
pub struct Matcher {
    /// Accepted answers, then the surnames accepted with them.
    accepted: Vec<Target>,
    /// Confusables and their surnames.
    confusables: Vec<Target>,
    /// Partial names that only a moderator may accept: exact matches only.
    partial: Vec<(String, f64)>,
}

/// One precomputed form to compare against.
#[derive(Clone, Debug)]
struct Target {
    canonical: Form,
    /// The words as written, when they differ from the canonical form.
    literal: Option<Form>,
    fixed: Vec<String>,
}

#[derive(Clone, Debug)]
struct Form {
    text: String,
    chars: usize,
    /// Allowed edits for a right answer.
    budget: usize,
}

impl Form {
    fn new(text: String) -> Form {
        let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
        Form {
            chars: text.chars().count(),
            budget: typo_budget(letters),
            text,
        }
    }

    /// Edits a near miss may have.
    fn band(&self) -> usize {
        (2 * self.budget).max(1)
    }
}

impl Target {
    fn new(reading: &Reading, literal: &str) -> Target {
        Target {
            canonical: Form::new(reading.text.clone()),
            literal: (literal != reading.text).then(|| Form::new(literal.to_owned())),
            fixed: reading.fixed.clone(),
        }
    }

    /// A run of plain words (a surname).
    fn words(words: &[String]) -> Target {
        let mut fixed: Vec<String> = words
            .iter()
            .filter(|w| w.chars().count() == 1)
            .cloned()
            .collect();
        fixed.sort_unstable();
        Target {
            canonical: Form::new(words.join(" ")),
            literal: None,
            fixed,
        }
    }
}

/// Edits allowed in a right answer whose target has `letters` letters and digits.
pub fn typo_budget(letters: usize) -> usize {
    match letters {
        0..=4 => 0,
        5..=8 => 1,
        9..=14 => 2,
        _ => letters * 15 / 100,
    }
}

impl Matcher {
    /// A matcher with surnames as near misses only (see [`Options`]).
    pub fn new(accepted: &[String], confusables: &[String]) -> Matcher {
        Matcher::with_options(accepted, confusables, Options::default())
    }

    /// The matcher for a question: its accepted answers and confusables, with surnames right
    /// for the categories whose answers are people, characters and other named things (cast,
    /// crew, universe).
    pub fn for_question(q: &Question) -> Matcher {
        let surnames = matches!(
            q.category,
            Category::Cast | Category::Crew | Category::Universe
        );
        Matcher::with_options(&q.accepted, &q.confusables, Options { surnames })
    }

    pub fn with_options(accepted: &[String], confusables: &[String], options: Options) -> Matcher {
        let accepted: Vec<Normal> = accepted
            .iter()
            .map(|a| normalize(a))
            .filter(|n| !n.is_empty())
            .collect();
        let is_accepted = |text: &str| accepted.iter().any(|a| a.readings[0].text == text);
        let confusables: Vec<Normal> = confusables
            .iter()
            .map(|c| normalize(c))
            .filter(|n| !n.is_empty() && !is_accepted(&n.readings[0].text))
            .collect();
        let confusable_words: Vec<&[String]> = confusables
            .iter()
            .map(|c| c.readings[0].words.as_slice())
            .collect();
        let unique = |part: &[String]| !confusable_words.iter().any(|w| contains_run(w, part));

        let mut matcher = Matcher {
            accepted: accepted
                .iter()
                .map(|a| Target::new(&a.readings[0], &a.literal))
                .collect(),
            confusables: confusables
                .iter()
                .map(|c| Target::new(&c.readings[0], &c.literal))
                .collect(),
            partial: Vec::new(),
        };
        for a in accepted.iter().map(|a| &a.readings[0]) {
            if !a.name_like {
                continue;
            }
            let letters = |part: &[String]| part.iter().map(|w| w.chars().count()).sum::<usize>();
            let closeness = |part: &[String]| letters(part) as f64 / letters(&a.words) as f64;
            for k in 1..a.words.len() {
                let (prefix, suffix) = (&a.words[..k], &a.words[k..]);
                if unique(suffix) && !is_accepted(&suffix.join(" ")) {
                    if options.surnames {
                        matcher.accepted.push(Target::words(suffix));
                    } else {
                        matcher.partial.push((suffix.join(" "), closeness(suffix)));
                    }
                }
                if unique(prefix) && !is_accepted(&prefix.join(" ")) {
                    matcher.partial.push((prefix.join(" "), closeness(prefix)));
                }
            }
        }
        // A confusable's surname typed alone names the confusable (or is ambiguous).
        for c in confusables.iter().map(|c| &c.readings[0]) {
            if c.name_like {
                for k in 1..c.words.len() {
                    matcher.confusables.push(Target::words(&c.words[k..]));
                }
            }
        }
        matcher
    }

    /// Judges one typed answer.
    pub fn judge(&self, input: &str) -> Verdict {
        let input = normalize(input);
        if input.is_empty() {
            return Verdict::Wrong;
        }
        if let Some(verdict) = self.exact(&input) {
            return verdict;
        }
        match (self.fuzzy(&input), self.partial(&input)) {
            (Verdict::Right, _) => Verdict::Right,
            (Verdict::NearMiss { closeness: a }, Some(b)) => Verdict::NearMiss {
                closeness: a.max(b),
            },
            (_, Some(closeness)) => Verdict::NearMiss { closeness },
            (fuzzy, None) => fuzzy,
        }
    }

    /// The verdict when the input is exactly an accepted answer or a confusable.
    fn exact(&self, input: &Normal) -> Option<Verdict> {
        let is =
            |targets: &[Target], r: &Reading| targets.iter().any(|t| t.canonical.text == r.text);
        let right = input.readings.iter().any(|r| is(&self.accepted, r));
        let confusable = input
            .readings
            .iter()
            .any(|r| !is(&self.accepted, r) && is(&self.confusables, r));
        match (right, confusable) {
            // Only an ambiguous date can be both: one reading right, the other a confusable.
            (true, true) => Some(Verdict::NearMiss { closeness: 0.5 }),
            (true, false) => Some(Verdict::Right),
            (false, true) => Some(Verdict::Wrong),
            (false, false) => None,
        }
    }

    /// The closeness when the input is exactly a partial name a moderator may accept.
    fn partial(&self, input: &Normal) -> Option<f64> {
        input.readings.iter().find_map(|r| {
            self.partial
                .iter()
                .find(|(text, _)| *text == r.text)
                .map(|&(_, closeness)| closeness)
        })
    }

    fn fuzzy(&self, input: &Normal) -> Verdict {
        let literal = Form::new(input.literal.clone());
        let forms: Vec<(Form, &Reading)> = input
            .readings
            .iter()
            .map(|r| (Form::new(r.text.clone()), r))
            .collect();

        // The best accepted answer within the near-miss band, and the best one within the
        // typo budget.
        let mut best = 0.0_f64;
        let mut best_right = 0.0_f64;
        for (canonical, reading) in &forms {
            for target in self.accepted.iter().filter(|t| fixed_fit(reading, t)) {
                for (typed, form) in pairs(canonical, &literal, target) {
                    if typed.chars.abs_diff(form.chars) > form.band() {
                        continue;
                    }
                    let edits = strsim::osa_distance(&typed.text, &form.text);
                    if edits > form.band() {
                        continue;
                    }
                    let c = closeness(edits, typed, form);
                    best = best.max(c);
                    if edits <= form.budget {
                        best_right = best_right.max(c);
                    }
                }
            }
        }
        if best == 0.0 {
            return Verdict::Wrong;
        }

        // The closest confusable that could matter: one at least as close as the answer
        // makes the input wrong.
        let threshold = if best_right > 0.0 { best_right } else { best };
        let mut confusable = 0.0_f64;
        for (canonical, reading) in &forms {
            for target in self.confusables.iter().filter(|t| fixed_fit(reading, t)) {
                for (typed, form) in pairs(canonical, &literal, target) {
                    let longest = typed.chars.max(form.chars).max(1);
                    let at_most = 1.0 - typed.chars.abs_diff(form.chars) as f64 / longest as f64;
                    if at_most < threshold.max(confusable) {
                        continue;
                    }
                    let edits = strsim::osa_distance(&typed.text, &form.text);
                    confusable = confusable.max(closeness(edits, typed, form));
                }
            }
        }
        if best_right > confusable {
            Verdict::Right
        } else if best > confusable && best >= MIN_NEAR_MISS {
            Verdict::NearMiss { closeness: best }
        } else {
            Verdict::Wrong
        }
    }
}

/// The (typed, target) form pairs to measure: canonical against canonical, and the literal
/// words against the target's literal words when either differs from its canonical form.
fn pairs<'a>(
    canonical: &'a Form,
    literal: &'a Form,
    target: &'a Target,
) -> impl Iterator<Item = (&'a Form, &'a Form)> {
    let literal_pair = (literal.text != canonical.text || target.literal.is_some()).then(|| {
        (
            literal,
            target.literal.as_ref().unwrap_or(&target.canonical),
        )
    });
    std::iter::once((canonical, &target.canonical)).chain(literal_pair)
}

/// Each number, date or single letter typed must be one of the target's (as a multiset).
fn fixed_fit(reading: &Reading, target: &Target) -> bool {
    let mut available = target.fixed.iter();
    // Both lists are sorted: walk them together.
    reading
        .fixed
        .iter()
        .all(|n| available.by_ref().any(|t| t == n))
}

fn closeness(edits: usize, a: &Form, b: &Form) -> f64 {
    let longest = a.chars.max(b.chars).max(1);
    1.0 - edits as f64 / longest as f64
}

/// Whether `run` occurs in `words` as consecutive whole words.
fn contains_run(words: &[String], run: &[String]) -> bool {
    !run.is_empty() && words.windows(run.len()).any(|w| w == run)
}

/// Judges `input` against the question's accepted answers and confusables (builds the
/// matcher each time: keep a [`Matcher::for_question`] when judging many answers).
pub fn judge(q: &Question, input: &str) -> Verdict {
    Matcher::for_question(q).judge(input)
}

#[cfg(test)]
mod tests;
