//! One askable fact ([`Ask`]) and how it becomes questions: a multiple-choice question, a true
//! and a false statement, and a typed-answer question, each with distractors drawn from the
//! pack that are the same kind as the answer, never right, and visible under the spoiler limit.

use std::collections::HashSet;
use std::sync::Arc;

use rand::seq::{IndexedRandom, SliceRandom};
use rand_chacha::ChaCha8Rng;

use super::value::{V, visible};
use super::{Category, Difficulty, Form, Question};
use crate::facts::EpisodeCode;
use crate::text::english::{list_and, list_or};

/// How many wrong options a multiple-choice question has.
pub const DISTRACTORS: usize = 3;

/// The words of a question about one fact.
#[derive(Debug, Clone, Default)]
pub struct Phrasing {
    /// The multiple-choice prompt, also the typed prompt unless `typed` is set.
    pub question: String,
    /// The typed-answer prompt, where it must differ ("Name one of the creators of X.").
    pub typed: Option<String>,
    /// A statement with `{}` where a value goes, for true/false ("{} directed X."). None: no
    /// true/false form.
    pub statement: Option<String>,
}

impl Phrasing {
    pub fn new(question: impl Into<String>) -> Self {
        Phrasing {
            question: question.into(),
            ..Phrasing::default()
        }
    }

    pub fn typed(mut self, prompt: impl Into<String>) -> Self {
        self.typed = Some(prompt.into());
        self
    }

    pub fn statement(mut self, statement: impl Into<String>) -> Self {
        self.statement = Some(statement.into());
        self
    }
}

/// Which forms a template allows.
#[derive(Debug, Clone, Copy)]
pub struct Forms {
    pub choice: bool,
    pub true_false: bool,
    pub typed: bool,
}

impl Forms {
    pub const ALL: Forms = Forms {
        choice: true,
        true_false: true,
        typed: true,
    };
    /// For questions that only make sense with options in front of the player ("Which of
    /// these is a ship?").
    pub const OPTIONS_ONLY: Forms = Forms {
        choice: true,
        true_false: true,
        typed: false,
    };
    /// For facts with no same-kind wrong answers in the pack (the network, the language).
    pub const TYPED_ONLY: Forms = Forms {
        choice: false,
        true_false: false,
        typed: true,
    };
}

/// One fact, ready to be asked.
#[derive(Debug, Clone)]
pub struct Ask {
    /// The fact key (`episode:S1E4.directors`); questions with the same key are never both
    /// dealt in one game until the pack is exhausted.
    pub fact: String,
    /// The template's name, part of each question's id.
    pub template: &'static str,
    pub category: Category,
    pub difficulty: Difficulty,
    /// The latest episode the fact itself gives away.
    pub spoils: Option<EpisodeCode>,
    /// The words when one answer is visible.
    pub one: Phrasing,
    /// The words when several answers are right ("Which of these is one of the creators?").
    pub many: Option<Phrasing>,
    /// The fact as a sentence for the reveal; `{}` is replaced by the visible answers.
    pub sentence: String,
    /// Where the fact comes from (a URL or a name), if the pack says.
    pub source: Option<String>,
    /// Every right answer; the question shows one of them.
    pub answers: Vec<V>,
    /// Values that are not answers but must never be offered as wrong ones either.
    pub exclude: Vec<V>,
    /// Distractor candidates, best first: a tier is used up before the next is drawn from.
    pub tiers: Vec<Vec<V>>,
    pub forms: Forms,
    /// Inventory keys of the pack items this fact uses (for the coverage report).
    pub uses: Vec<String>,
}

impl Ask {
    pub fn new(
        fact: impl Into<String>,
        template: &'static str,
        category: Category,
        difficulty: Difficulty,
        answers: Vec<V>,
    ) -> Ask {
        let fact = fact.into();
        Ask {
            uses: vec![fact.clone()],
            fact,
            template,
            category,
            difficulty,
            spoils: None,
            one: Phrasing::default(),
            many: None,
            sentence: String::new(),
            source: None,
            answers,
            exclude: Vec::new(),
            tiers: Vec::new(),
            forms: Forms::ALL,
        }
    }

    pub fn spoils(mut self, spoils: Option<EpisodeCode>) -> Self {
        self.spoils = spoils;
        self
    }

    pub fn one(mut self, phrasing: Phrasing) -> Self {
        self.one = phrasing;
        self
    }

    pub fn many(mut self, phrasing: Phrasing) -> Self {
        self.many = Some(phrasing);
        self
    }

    pub fn sentence(mut self, sentence: impl Into<String>) -> Self {
        self.sentence = sentence.into();
        self
    }

    pub fn source(mut self, source: Option<&str>) -> Self {
        self.source = source.map(str::to_string);
        self
    }

    pub fn exclude(mut self, values: impl IntoIterator<Item = V>) -> Self {
        self.exclude.extend(values);
        self
    }

    pub fn tier(mut self, values: impl IntoIterator<Item = V>) -> Self {
        self.tiers.push(values.into_iter().collect());
        self
    }

    pub fn forms(mut self, forms: Forms) -> Self {
        self.forms = forms;
        self
    }

    pub fn uses(mut self, key: impl Into<String>) -> Self {
        self.uses.push(key.into());
        self
    }
}

/// What realising needs besides the fact.
pub struct Ctx<'a> {
    pub rng: &'a mut ChaCha8Rng,
    pub limit: Option<EpisodeCode>,
    pub pack: &'a str,
    pub pack_title: &'a str,
}

impl Ask {
    /// Turns the fact into questions (appended to `out`); returns how many. Nothing if the
    /// fact or all its answers lie beyond the spoiler limit.
    pub fn realise(&self, ctx: &mut Ctx, out: &mut Vec<Question>) -> usize {
        if !visible(self.spoils, ctx.limit) {
            return 0;
        }
        let shown: Vec<&V> = self
            .answers
            .iter()
            .filter(|v| visible(v.spoils, ctx.limit))
            .collect();
        let Some(&answer) = shown.choose(ctx.rng) else {
            return 0;
        };
        let words = match (&self.many, shown.len()) {
            (Some(many), 2..) => many,
            _ => &self.one,
        };
        let candidates = self.candidates(ctx.limit);
        let distractors = pick(ctx.rng, &candidates, DISTRACTORS);
        let confusable: Arc<[String]> = confusables(&candidates).into();
        let texts: Vec<&str> = shown.iter().map(|v| v.text.as_str()).collect();
        let source = self.reference(&texts, ctx.pack_title);
        let base_spoils = self.spoils.max(answer.spoils);
        let before = out.len();
        let make = |form: Form, tag: &str, prompt: String| Question {
            id: format!("{}/{}/{}", self.fact, self.template, tag),
            fact: self.fact.clone(),
            pack: ctx.pack.to_string(),
            form,
            category: self.category,
            difficulty: self.difficulty,
            prompt,
            choices: Vec::new(),
            correct: None,
            answer: String::new(),
            accepted: Vec::new(),
            confusables: Arc::from([]),
            source: source.clone(),
            spoils: base_spoils,
        };

        if self.forms.choice && distractors.len() == DISTRACTORS {
            let mut options: Vec<&V> = distractors.clone();
            options.push(answer);
            options.shuffle(ctx.rng);
            let mut q = make(Form::MultipleChoice, "mc", words.question.clone());
            q.correct = options.iter().position(|o| std::ptr::eq(*o, answer));
            q.choices = options.iter().map(|o| o.text.clone()).collect();
            q.answer = answer.text.clone();
            q.accepted = answer.forms().map(str::to_string).collect();
            q.confusables = Arc::clone(&confusable);
            q.spoils = options.iter().map(|o| o.spoils).fold(q.spoils, Ord::max);
            out.push(q);
        }

        if let (true, Some(statement), Some(&wrong)) = (
            self.forms.true_false,
            &words.statement,
            distractors.choose(ctx.rng),
        ) {
            for (truth, value) in [(true, answer), (false, wrong)] {
                let tag = if truth { "tf-true" } else { "tf-false" };
                let prompt = format!("True or false: {}", fill(statement, &value.text));
                let mut q = make(Form::TrueFalse, tag, prompt);
                let (right, wrong_word) = if truth {
                    ("True", "False")
                } else {
                    ("False", "True")
                };
                q.choices = vec!["True".into(), "False".into()];
                q.correct = Some(if truth { 0 } else { 1 });
                q.answer = right.into();
                q.accepted = vec![right.into()];
                q.confusables = Arc::from([wrong_word.to_owned()]);
                q.spoils = q.spoils.max(value.spoils);
                out.push(q);
            }
        }

        if self.forms.typed {
            let prompt = words
                .typed
                .clone()
                .unwrap_or_else(|| words.question.clone());
            let mut q = make(Form::Typed, "typed", prompt);
            q.answer = list_or(&texts);
            q.accepted = shown
                .iter()
                .flat_map(|v| v.forms())
                .map(str::to_string)
                .collect();
            q.accepted.dedup();
            q.confusables = Arc::clone(&confusable);
            q.spoils = shown.iter().map(|v| v.spoils).fold(q.spoils, Ord::max);
            out.push(q);
        }
        out.len() - before
    }

    /// Distractor candidates by tier: visible, never clashing with any answer or excluded
    /// value (visible or not: a hidden right answer is still right), each text once.
    fn candidates(&self, limit: Option<EpisodeCode>) -> Vec<Vec<&V>> {
        let mut seen: HashSet<&str> = HashSet::new();
        self.tiers
            .iter()
            .map(|tier| {
                tier.iter()
                    .filter(|v| {
                        visible(v.spoils, limit)
                            && v.folded.first().is_some_and(|f| seen.insert(f.as_str()))
                            && !self.answers.iter().any(|a| a.clashes(v))
                            && !self.exclude.iter().any(|e| e.clashes(v))
                    })
                    .collect()
            })
            .collect()
    }

    /// The reveal text: the fact as a sentence, and where it comes from.
    fn reference(&self, answers: &[&str], pack_title: &str) -> String {
        let sentence = self.sentence.replacen("{}", &list_and(answers), 1);
        match &self.source {
            Some(src) => format!("{sentence} (Source: {src})"),
            None => format!("{sentence} (From the {pack_title} pack.)"),
        }
    }
}

/// Up to `n` distractors, drawn at random from the first tier, then the next; no two that
/// could be taken for each other ("Riker" beside "William Riker").
fn pick<'a>(rng: &mut ChaCha8Rng, tiers: &[Vec<&'a V>], n: usize) -> Vec<&'a V> {
    let mut out: Vec<&V> = Vec::with_capacity(n);
    for tier in tiers {
        let mut order = tier.clone();
        order.shuffle(rng);
        for v in order {
            if out.len() == n {
                return out;
            }
            if !out.iter().any(|o| o.clashes(v)) {
                out.push(v);
            }
        }
    }
    out
}

/// Every candidate's text: names of the same kind that a typed answer must not be mistaken for.
fn confusables(tiers: &[Vec<&V>]) -> Vec<String> {
    tiers.iter().flatten().map(|v| v.text.clone()).collect()
}

/// The statement with the value in place of `{}`. A value that starts with "the" right after
/// a "the" loses its own ("the [Oracle]" with "the Guide" reads "the Guide").
fn fill(statement: &str, value: &str) -> String {
    let Some(at) = statement.find("{}") else {
        return statement.to_string();
    };
    let (before, after) = (&statement[..at], &statement[at + 2..]);
    let ends_with_the = before.to_lowercase().ends_with("the ");
    let value = match value.get(..4) {
        Some(head) if ends_with_the && head.eq_ignore_ascii_case("the ") => &value[4..],
        _ => value,
    };
    format!("{before}{value}{after}")
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn fill_keeps_one_article() {
        assert_eq!(fill("Bex steals the {}.", "the Key"), "Bex steals the Key.");
        assert_eq!(fill("{} plays Elin.", "The Guide"), "The Guide plays Elin.");
        assert_eq!(fill("no slot", "x"), "no slot");
        assert_eq!(fill("In {} of", "Theo"), "In Theo of");
    }
}
