//! Pinyin glosses: some mirror sites convert a page to traditional characters
//! and gloss characters with their reading in brackets after them,
//! `農(nóng)業(yè)農(nóng)村部關(guān)于…`. Read as written, the glosses break
//! every word the reader looks for (关于, 办公厅, 通知). The text is read with
//! the glosses taken out, and what is shown of the page (its title, agency
//! and headings) gets them back where the page had them.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

/// Fewer glosses than this on a page are brackets of the text's own
/// (`（a）`, `险(b)`), not a converter's.
const MIN_GLOSSES: usize = 5;
/// A page's glosses must cover at least this many different characters.
const MIN_GLOSSED_CHARS: usize = 3;

/// A Han character and the bracketed pinyin after it, with the one space a
/// converter may leave after the bracket (`關(guan) 於(yu) 做好`).
fn gloss_regex() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(\p{Han})\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6})\)( ?)")
            .expect("static gloss pattern")
    })
}

/// How a page glossed its characters: the gloss each character was given
/// (the most frequent one, should a character be glossed two ways).
#[derive(Debug, Default)]
pub(super) struct Glosses {
    of: HashMap<char, String>,
}

/// Whether `syllable` could be pinyin: it has a vowel.
fn has_vowel(syllable: &str) -> bool {
    syllable.chars().any(|c| {
        matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'v' | 'ü')
            || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ".contains(c)
    })
}

impl Glosses {
    /// The text with its glosses taken out and how the page glossed, or
    /// `None` when the page has no converter's glosses.
    pub(super) fn strip(text: &str) -> Option<(String, Glosses)> {
        let re = gloss_regex();
        let mut counts: HashMap<char, HashMap<&str, usize>> = HashMap::new();
        let mut found = 0usize;
        for c in re.captures_iter(text) {
            let (Some(han), Some(py)) = (c.get(1), c.get(2)) else {
                continue;
            };
            let Some(ch) = han.as_str().chars().next() else {
                continue;
            };
            if !has_vowel(py.as_str()) {
                continue;
            }
            found += 1;
            *counts
                .entry(ch)
                .or_default()
                .entry(py.as_str())
                .or_default() += 1;
        }
        if found < MIN_GLOSSES || counts.len() < MIN_GLOSSED_CHARS {
            return None;
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for c in re.captures_iter(text) {
            let (Some(all), Some(han), Some(py)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            if !has_vowel(py.as_str()) {
                continue;
            }
            out.push_str(&text[last..han.end()]);
            // the space after the bracket goes when the text goes on
            // with a character or a mark (`關(guan) 於(yu) 做好`)
            let spaced = c.get(3).is_some_and(|s| !s.is_empty());
            let goes_on = text[all.end()..]
                .chars()
                .next()
                .is_some_and(|n| crate::notice::is_han(n) || "，。、；：,.;:".contains(n));
            last = if spaced && goes_on {
                all.end()
            } else {
                // past the closing bracket
                py.end() + 1
            };
        }
        out.push_str(&text[last..]);
        let of = counts
            .into_iter()
            .filter_map(|(ch, readings)| {
                let (py, _) = readings
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))?;
                Some((ch, format!("({py})")))
            })
            .collect();
        Some((out, Glosses { of }))
    }

    /// `shown` (read from the text without glosses) as the page writes it:
    /// as it stands when the page has it so somewhere (a headline written
    /// without glosses), else with each glossed character's gloss after it.
    pub(super) fn restore(&self, shown: &str, original: &str) -> String {
        // written so somewhere: not a glossed text's prefix (`區` of `區(qū)`)
        let unglossed = original
            .match_indices(shown)
            .any(|(at, _)| !original[at + shown.len()..].starts_with('('));
        if shown.is_empty() || unglossed {
            return shown.to_string();
        }
        // as the page writes it where it does: each character glossed or
        // not, as that line has it (`關于劃定養(yǎng)犬…`)
        if shown.chars().count() <= 400 {
            let pattern: String = shown
                .chars()
                .map(|c| {
                    format!(
                        "{}(?:\\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{{1,6}}\\) ?)?",
                        regex::escape(&c.to_string())
                    )
                })
                .collect();
            if let Ok(re) = Regex::new(&pattern)
                && let Some(m) = re.find(original)
            {
                return m.as_str().trim_end().to_string();
            }
        }
        let mut out = String::with_capacity(shown.len() * 2);
        for ch in shown.chars() {
            out.push(ch);
            if let Some(g) = self.of.get(&ch) {
                out.push_str(g);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_and_restores_a_converters_glosses() {
        let text = "農(nóng)業(yè)農(nóng)村部關(guān)于實(shí)行禁漁期制度的通告\n現(xiàn)將有關(guān)事項通告如下";
        let (clean, g) = Glosses::strip(text).expect("glossed");
        assert_eq!(
            clean,
            "農業農村部關于實行禁漁期制度的通告\n現將有關事項通告如下"
        );
        assert_eq!(g.restore("農業農村部", text), "農(nóng)業(yè)農(nóng)村部");
        assert_eq!(g.restore("通告", text), "通告");
        // the text has `有關(guān)`, not `有關`
        assert_eq!(g.restore("有關", text), "有關(guān)");
        // a line that glosses some characters and not others is shown so
        let text = "關(guān)于實(shí)行禁漁(yú)期(qī)制(zhì)度\n關于實(shí)行禁漁期制度的通告";
        let (_, g) = Glosses::strip(text).expect("glossed");
        assert_eq!(
            g.restore("關于實行禁漁期制度的通告", text),
            "關于實(shí)行禁漁期制度的通告"
        );
    }

    #[test]
    fn a_space_after_the_gloss_goes_with_it() {
        let text =
            "印發了《關(guan) 於(yu) 做好有關(guan) 工作的通知》。關(guan) 心群眾(zhong) ,做好";
        let (clean, _) = Glosses::strip(text).expect("glossed");
        assert_eq!(clean, "印發了《關於做好有關工作的通知》。關心群眾,做好");
    }

    #[test]
    fn a_texts_own_brackets_are_no_glosses() {
        assert!(Glosses::strip("险(b)类和提(a)类，县(市)区").is_none());
        assert!(Glosses::strip("第(一)项 第(二)项").is_none());
    }
}
