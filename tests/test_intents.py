"""Reading a mention's intent: the rules as data, how posts are read, and the corpus."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisiscomms.errors import LoadError, ValidationError
from crisiscomms.replies import IntentRules, classify
from crisiscomms.replies.gates import openings
from crisiscomms.replies.intents import read
from crisiscomms.replies.scoring import read_labelled, score

CORPUS = Path(__file__).parent / "replies_corpus"
HUMAN = ("press", "legal")
WORDS = sorted(
    {
        word
        for name in ("heldout.txt", "train.txt")
        for _, text in read_labelled(CORPUS / name)
        for word in text.split()
    }
)


class TestReading:
    def test_contractions_are_spelled_out(self) -> None:
        """ "can't", "cant" and "won't" read as "can not" and "will not", curly or straight."""
        assert read("Can't log in") == "can not log in"
        assert read("cant login, it won\u2019t load") == "can not login , it will not load"

    def test_links_and_handles_are_set_aside(self) -> None:
        """A link or a handle never reads as words of the mention."""
        assert read("@buffer see https://example.com/password-safe now") == "see now"

    def test_repeated_letters_and_marks_are_folded(self) -> None:
        """ "sooooo" and "???" read like "soo" and "?"."""
        assert read("sooooo slow???") == "soo slow ?"

    def test_post_spellings_are_mended(self) -> None:
        """Shorthand from the spelling table reads as the word it stands for."""
        assert read("r u ok? pls") == "are you ok ? please"

    @pytest.mark.parametrize(
        ("slip", "word"),
        [
            ("pasword", "password"),
            ("passwrod", "password"),
            ("compromized", "compromised"),
            ("jounalist", "journalist"),
            ("lawyerr", "lawyer"),
        ],
    )
    def test_one_letter_slips_of_keywords_are_mended(self, slip: str, word: str) -> None:
        """A missing, extra, changed or swapped letter in a keyword is mended."""
        assert read(slip) == word

    def test_other_forms_of_a_word_are_left_alone(self) -> None:
        """A changed ending is another word ("reported" is not "reporter")."""
        assert read("reported posted hacker") == "reported posted hacker"


class TestClassify:
    @pytest.mark.parametrize(
        ("text", "intent"),
        [
            ("IS MY CREDIT CARD SAFE", "safety"),
            ("did they get our customers' emails?", "safety"),
            ("what do i do now", "action"),
            ("Should we rotate our API keys?", "action"),
            ("when will posting work again", "when"),
            ("eta??", "when"),
            ("my page just posted spam I never wrote", "affected"),
            ("cant log in since this morning", "affected"),
            ("absolutely pathetic", "angry"),
            ("thank you, great communication", "thanks"),
            ("I'm a journalist, could you comment?", "press"),
            ("my attorney will contact you", "legal"),
            ("I want a refund", "legal"),
            ("win a free iphone, RT now", "unrelated"),
            ("what happened?", "question"),
            ("iz my data safe??", "safety"),
            ("wat shud i do now", "action"),
            ("SHOULD I CHANGE MY PASSWORD", "action"),
            ("when wil it be fixed", "when"),
            ("how much longer do we need to wait??", "when"),
            ("my acount got hacked", "affected"),
            ("I can't sign into my account since yesterday", "affected"),
            ("im so disapointed", "angry"),
            ("what a mess", "angry"),
            ("\U0001f64f\U0001f64f\U0001f64f", "thanks"),
            ("I'm writing about this for a magazine", "press"),
            ("this is a GDPR breach", "legal"),
            ("\U0001f525 FOLLOW ME \U0001f525", "unrelated"),
            ("How secure is my account right now?", "safety"),
            ("best way to protect my account going forward?", "action"),
            ("Received a password reset I didn't request", "affected"),
            ("are you kidding me right now", "angry"),
            ("much love to the team", "thanks"),
            ("did the breach include phone numbers", "safety"),
            ("any action needed from our side?", "action"),
            ("my password no longer works", "affected"),
            ("words can't describe how angry I am", "angry"),
            ("good on you for being upfront", "thanks"),
            ("What should admins do first?", "action"),
            ("Are we looking at a long outage?", "when"),
            ("spam all over my timeline from my own account", "affected"),
            ("So much for transparency", "angry"),
            ("thanks so much for the update", "thanks"),
            ("I expect a credit for the downtime", "legal"),
            ("did my DMs get read by the hackers", "safety"),
            ("should our team enable two factor now", "action"),
            ("how far along is the fix", "when"),
            ("every post I schedule fails", "affected"),
            ("I can't believe how badly this was handled", "angry"),
            ("notifications stopped working this morning", "affected"),
            ("third outage this month, I'm out", "angry"),
            ("whats the workaround for now", "action"),
            ("Seriously considering leaving after this", "angry"),
            ("Trade press here, can someone brief me on the incident?", "press"),
            ("my analytics are all zeros today", "affected"),
            ("is our stripe connection compromised", "safety"),
            ("is it ok to keep posting manually?", "action"),
            ("Should we expect this to last all day?", "when"),
            ("your silence is deafening", "angry"),
            ("great to see the fix rolled out", "thanks"),
        ],
    )
    def test_reads_each_family(self, text: str, intent: str) -> None:
        """A plain mention of each family reads as its intent."""
        assert classify(text).intent == intent

    def test_negation_cancels_a_mood(self) -> None:
        """ "not angry" is no anger, and the question behind it is what is read."""
        reading = classify("not angry, just wondering when it will be back")
        assert reading.intent == "when"
        assert "angry" not in reading.intents

    def test_negation_stops_at_a_clause_break(self) -> None:
        """A "not" before a comma does not reach the next clause."""
        assert "angry" in classify("I did not expect this, ridiculous").intents

    def test_emoji_count(self) -> None:
        """An angry emoji alone shows anger; a heart alone shows thanks."""
        assert classify("\U0001f621\U0001f621").intent == "angry"
        assert classify("\u2764\ufe0f").intent == "thanks"

    def test_all_capitals_read_as_shouting(self) -> None:
        """A mention in capitals counts toward anger, beside what it asks."""
        reading = classify("WHEN WILL THIS BE FIXED")
        assert reading.intent == "when"
        assert "angry" in reading.intents
        assert "ALL CAPITALS" not in classify("When will this be fixed").cues

    def test_several_intents_keep_the_most_urgent_first(self) -> None:
        """An angry person asking what to do is read as action, with anger kept."""
        reading = classify("this is a joke. what am I supposed to do?")
        assert reading.intents[:2] == ("action", "angry")

    def test_spam_wins_over_ordinary_intents(self) -> None:
        """Spam that says "password" is still spam."""
        assert classify("forgot your password? check out my course, link in bio").intent == (
            "unrelated"
        )

    def test_spam_beside_a_real_question_goes_to_a_person(self) -> None:
        """Spam words in a mention that also asks something are checked by a person."""
        reading = classify("my account keeps posting 'follow me back' spam, what do I do?")
        assert reading.intent == "unrelated"
        assert "action" in reading.intents
        assert reading.needs_human
        assert not classify("follow me back, link in bio").needs_human

    def test_press_and_legal_win_over_spam(self) -> None:
        """A journalist's "DM me now" is press, not spam."""
        assert classify("reporter here, DM me now about the breach").intent == "press"

    def test_unsure_unrelated_goes_to_a_person(self) -> None:
        """Off-topic without spam is unrelated but marked for a person to check."""
        reading = classify("who's watching the game tonight?")
        assert reading.intent == "unrelated"
        assert reading.needs_human
        assert not classify("follow me back!!").needs_human

    def test_a_report_without_a_question_reads_as_affected(self) -> None:
        """Words about the incident that match no rule and ask nothing read as a report."""
        assert classify("half our team sees a different dashboard").intent == "affected"
        assert classify("is the dashboard different for everyone?").intent == "question"

    def test_spam_words_of_hacked_accounts_are_not_spam(self) -> None:
        """A hacked account posting a crypto scam is a report, not spam to ignore."""
        assert classify("my account posted a crypto scam").intent == "affected"

    def test_an_empty_mention_gets_the_general_answer(self) -> None:
        """A bare mention (no text) is a general question, not ignored."""
        assert classify("").intent == "question"

    def test_press_or_legal_words_bring_a_person_whatever_the_intent(self) -> None:
        """A press or legal word the intent patterns do not use still marks the mention."""
        reading = classify("when is it back? need it for my story tonight")
        assert reading.intent == "when"
        assert reading.needs_human
        assert "story" in (reading.reason or "")
        assert not classify("when is it back?").needs_human

    def test_press_and_legal_need_a_person(self) -> None:
        """Press and legal readings carry needs_human and a reason."""
        for text in ("journalist here", "see you in court"):
            reading = classify(text)
            assert reading.needs_human
            assert reading.reason

    @given(
        st.sampled_from(
            [
                "my lawyer",
                "class action",
                "GDPR complaint",
                "compensation",
                "journalist",
                "press release",
                "any statement",
                "reporter",
            ]
        ),
        st.text(max_size=60),
        st.text(max_size=60),
    )
    def test_press_and_legal_words_always_need_a_person(
        self, cue: str, before: str, after: str
    ) -> None:
        """Whatever surrounds a press or legal cue, the reading needs a person."""
        assert classify(f"{before} {cue} {after}").needs_human

    @given(st.text(max_size=200))
    def test_every_text_gets_a_known_intent_deterministically(self, text: str) -> None:
        """Any text reads as one of the rules' intents, the same way twice."""
        rules = IntentRules.default()
        first = rules.classify(text)
        assert first.intent in rules.names
        assert first.intent == first.intents[0]
        assert IntentRules.default().classify(text) == first


class TestCorpus:
    def test_held_out_accuracy_is_at_least_90_percent(self) -> None:
        """Mentions written before the rules, never used to tune them, read right 90%+."""
        result = score(read_labelled(CORPUS / "heldout.txt"))
        assert result.total >= 100
        assert result.accuracy >= 0.9, result.misses

    def test_held_out_is_30_percent_of_the_corpus(self) -> None:
        """The corpus has 300+ mentions, 30% of them held out."""
        held = len(read_labelled(CORPUS / "heldout.txt"))
        train = len(read_labelled(CORPUS / "train.txt"))
        assert held + train >= 300
        assert held / (held + train) >= 0.3

    def test_no_press_or_legal_mention_goes_without_a_person(self) -> None:
        """Every press or legal mention of the corpus needs a person."""
        for name in ("heldout.txt", "train.txt"):
            for label, text in read_labelled(CORPUS / name):
                if label in HUMAN:
                    assert classify(text).needs_human, text

    def test_every_family_is_in_the_corpus(self) -> None:
        """Each intent has mentions in the held-out part."""
        labels = {label for label, _ in read_labelled(CORPUS / "heldout.txt")}
        assert labels == set(IntentRules.default().names)

    def test_a_malformed_corpus_line_names_its_line(self, tmp_path: Path) -> None:
        """A line without 'intent:' is refused with the file and line."""
        path = tmp_path / "corpus.txt"
        path.write_text("# comment\nsafety: is it safe\nno label here\n", encoding="utf-8")
        with pytest.raises(LoadError) as caught:
            read_labelled(path)
        assert caught.value.line == 3


class TestIntentRules:
    def test_a_user_file_adds_patterns_to_an_intent(self, tmp_path: Path) -> None:
        """A user's [[intent]] with a known name extends it."""
        path = tmp_path / "mine.toml"
        path.write_text(
            "[[intent]]\nname = \"press\"\npatterns = ['\\bstringer\\b']\n", encoding="utf-8"
        )
        rules = IntentRules.default().with_files(path)
        reading = rules.classify("stringer for a wire service here")
        assert reading.intent == "press"
        assert reading.needs_human
        assert IntentRules.default().classify("stringer for a wire service here").intent != (
            "press"
        )

    def test_a_user_file_adds_an_intent_in_its_place(self, tmp_path: Path) -> None:
        """A new intent goes before the one it names, and is read as urgent as that place."""
        path = tmp_path / "mine.toml"
        path.write_text(
            '[[intent]]\nname = "outage-abroad"\nbefore = "safety"\n'
            "patterns = ['\\bin (brazil|india)\\b']\n",
            encoding="utf-8",
        )
        rules = IntentRules.default().with_files(path)
        assert rules.names.index("outage-abroad") == rules.names.index("safety") - 1
        assert rules.classify("is my card safe in brazil?").intent == "outage-abroad"

    def test_a_user_file_may_change_a_flag_it_names(self, tmp_path: Path) -> None:
        """A flag named in the user's table replaces ours; flags left out stay."""
        path = tmp_path / "mine.toml"
        path.write_text('[[intent]]\nname = "thanks"\nneeds_human = true\n', encoding="utf-8")
        rules = IntentRules.default().with_files(path)
        assert rules.intent("thanks").needs_human
        assert rules.intent("thanks").negatable
        assert rules.intent("thanks").patterns == IntentRules.default().intent("thanks").patterns

    def test_disable_removes_an_intent(self, tmp_path: Path) -> None:
        """disable = [...] drops an intent; the fallbacks cannot be dropped."""
        path = tmp_path / "mine.toml"
        path.write_text('disable = ["thanks"]\n', encoding="utf-8")
        assert "thanks" not in IntentRules.default().with_files(path).names
        path.write_text('disable = ["question"]\n', encoding="utf-8")
        with pytest.raises(LoadError):
            IntentRules.default().with_files(path)

    def test_a_bad_pattern_names_the_file_and_field(self, tmp_path: Path) -> None:
        """A pattern that does not compile is refused, naming where."""
        path = tmp_path / "mine.toml"
        path.write_text("[[intent]]\nname = \"press\"\npatterns = ['(']\n", encoding="utf-8")
        with pytest.raises(LoadError) as caught:
            IntentRules.default().with_files(path)
        assert caught.value.field == "intent[0].patterns[0]"
        assert str(path) in str(caught.value)

    def test_unknown_keys_are_refused(self, tmp_path: Path) -> None:
        """A misspelt key is an error, not silently ignored."""
        path = tmp_path / "mine.toml"
        path.write_text('[[intent]]\nname = "press"\npatern = []\n', encoding="utf-8")
        with pytest.raises(LoadError) as caught:
            IntentRules.default().with_files(path)
        assert caught.value.field == "intent[0].patern"

    def test_a_missing_file_is_a_load_error(self, tmp_path: Path) -> None:
        """A file that cannot be read names itself."""
        with pytest.raises(LoadError):
            IntentRules.default().with_files(tmp_path / "missing.toml")

    def test_the_fallback_intents_are_required(self) -> None:
        """A rule set without 'question' or 'unrelated' is refused."""
        with pytest.raises(ValidationError):
            IntentRules(intents=())

    def test_the_bundled_rules_are_ordered_most_urgent_first(self) -> None:
        """Legal and press come first; the fallbacks last."""
        names = IntentRules.default().names
        assert names[:2] == ("legal", "press")
        assert names[-2:] == ("question", "unrelated")


class TestGates:
    @staticmethod
    def ungated() -> IntentRules:
        """The bundled rules with every pattern tried on every mention."""
        rules = attrs.evolve(IntentRules.default())
        object.__setattr__(rules, "_always", frozenset(range(len(rules._patterns))))
        return rules

    def test_gates_never_change_a_reading_of_the_corpus(self) -> None:
        """Trying only the patterns a mention's words can open reads every mention alike."""
        ungated = self.ungated()
        for name in ("heldout.txt", "train.txt"):
            for _, text in read_labelled(CORPUS / name):
                assert IntentRules.default().classify(text) == ungated.classify(text), text

    @given(st.lists(st.sampled_from(WORDS), max_size=12))
    def test_gates_never_change_a_reading(self, words: list[str]) -> None:
        """Any mix of the corpus's words reads the same with and without the gates."""
        text = " ".join(words)
        assert attrs.evolve(IntentRules.default()).classify(text) == self.ungated().classify(text)

    def test_openings_of_a_pattern(self) -> None:
        """The words a match must start with are worked out from the pattern."""
        assert openings(r"\b(my|our) (account|page)\b") == frozenset(
            {
                "my account",
                "my page",
                "our account",
                "our page",
            }
        )
        assert openings(r"\bhack\w*") == frozenset({"hack"})
        assert openings(r"(^| )when") is None
