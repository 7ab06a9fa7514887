"""The starting library of explainers, loaded by ``manage.py load_explainers``.

Written in plain English for a person who may be exhausted, frightened and reading in a
second language: short sentences, one idea each, no jargon without its meaning. Each says
what happens, when, who will be there, what the victim can choose, and whom to ask. They
avoid promising what a service may not deliver (dates, outcomes), and send the reader back
to their navigator for anything specific to them.

An organisation must have its own people read them before real use (they are approved in
the admin, and the demo approves them as its administrator). The Romanian versions are
samples to show how translations work: they need a professional translation.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from contacts.choices import LevelOfDetail
from explainers.choices import ENGLISH, Topic

FULL, HEADLINE, KEY = (
    LevelOfDetail.FULL,
    LevelOfDetail.HEADLINE,
    LevelOfDetail.KEY_DECISIONS_ONLY,
)
SAMPLE_LANGUAGE = "Romanian"


@dataclass(frozen=True)
class Text:
    title: str
    body: str
    needs_professional_translation: bool = False


def _clean(paragraph: str) -> str:
    """One paragraph as stored: each list item ("- ") on a line of its own, the source's
    wrapped lines joined."""
    lines: list[str] = []
    for raw in paragraph.strip().splitlines():
        line = raw.strip()
        if lines and not line.startswith("- "):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return "\n".join(lines)


def _t(title: str, *paragraphs: str) -> Text:
    return Text(title, "\n\n".join(_clean(p) for p in paragraphs))


def _sample(title: str, *paragraphs: str) -> Text:
    return Text(title, "\n\n".join(_clean(p) for p in paragraphs), True)


ASK = "If anything is not clear, ask your navigator. You can ask as many times as you need."

LIBRARY: Mapping[Topic, Mapping[tuple[str, str], Text]] = MappingProxyType(
    {
        Topic.ABE_INTERVIEW: {
            (ENGLISH, FULL): _t(
                "Your video-recorded interview",
                """What happens: a specially trained police officer asks you about what happened
                to you. The interview is filmed. It is called an ABE interview ("Achieving Best
                Evidence"). The recording is your account in your own words.""",
                """Where and when: in an interview suite, a quiet room that looks more like a
                living room than a police station. It is not a police cell, and you are not in
                trouble. It can take a few hours, with breaks.""",
                """Who will be there: the officer who asks the questions, and sometimes a second
                officer who watches from another room. An interpreter if you need one. Your
                navigator can come with you to the building and be there before and after.""",
                """What you can choose:
                - to stop for a break at any time, for as long as you need;
                - to ask for an interpreter, and for one you already know if possible;
                - to ask for the officer to be a man or a woman;
                - to say "I don't know" or "I don't remember": that is a true answer;
                - to ask what a question means before you answer.""",
                """Afterwards: if the case goes to court, the recording may be shown there, so
                you may not have to tell everything again in person. It can be a tiring day.
                Plan something calm for the evening, and your navigator will check how you
                are.""",
                ASK,
            ),
            (ENGLISH, HEADLINE): _t(
                "Your video-recorded interview",
                """- A trained officer asks you what happened. It is filmed.
                - It takes place in a quiet interview room, not a police cell. You are not in
                trouble.
                - You can stop for a break at any time.
                - You can have an interpreter, and ask for a man or a woman to interview you.
                - "I don't know" and "I don't remember" are true answers.
                - The film may be shown in court, so you may not need to tell it all again.""",
                ASK,
            ),
            (ENGLISH, KEY): _t(
                "Your video-recorded interview",
                """You will be interviewed on film by a trained officer. You can stop at any
                time, have an interpreter, and choose whether a man or a woman interviews
                you.""",
                ASK,
            ),
            (SAMPLE_LANGUAGE, HEADLINE): _sample(
                "Interviul tău înregistrat video",
                """- Un polițist instruit te întreabă ce s-a întâmplat. Interviul este filmat.
                - Are loc într-o cameră liniștită, nu într-o celulă. Nu ai probleme cu poliția.
                - Poți cere o pauză oricând.
                - Poți avea un interpret și poți cere să te intervieveze un bărbat sau o femeie.
                - „Nu știu” și „Nu-mi amintesc” sunt răspunsuri adevărate.
                - Filmul poate fi arătat în instanță, ca să nu fie nevoie să povestești totul
                din nou.""",
                """Dacă ceva nu este clar, întreabă-l pe navigatorul tău.""",
            ),
            (SAMPLE_LANGUAGE, KEY): _sample(
                "Interviul tău înregistrat video",
                """Un polițist instruit te va intervieva și interviul va fi filmat. Poți cere o
                pauză oricând, poți avea un interpret și poți alege dacă te intervievează un
                bărbat sau o femeie.""",
            ),
        },
        Topic.RG_DECISION: {
            (ENGLISH, FULL): _t(
                "The reasonable grounds decision",
                """What it is: after someone referred you to the National Referral Mechanism
                (NRM), the Home Office decides whether there are reasonable grounds to believe
                you are a victim of modern slavery. This is the first of two decisions. It
                is not about whether you are believed as a person, and it does not depend on
                whether anyone is charged.""",
                """When: it can take from a few days to several weeks after the referral.
                Your navigator or support worker will tell you as soon as they know. You do not
                need to do anything to get it.""",
                """If it is positive: you get a recovery period of at least 30 days, with
                support if you want it: somewhere safe to stay if you need it, money for
                essentials, help to see a doctor and legal advice. Then the Home Office makes
                the second decision, the conclusive grounds decision.""",
                """If it is negative: it means the Home Office did not find enough to decide
                this yet. It does not mean you lied. NRM support will stop after a short
                notice period. A request to look at the decision again (a reconsideration) can
                be made if there is more information; your navigator or support worker can help
                with this. The police investigation can carry on either way.""",
                """What you can choose: whether to accept the support offered, and whether to
                get free legal advice about the decision.""",
                ASK,
            ),
            (ENGLISH, HEADLINE): _t(
                "The reasonable grounds decision",
                """- The Home Office decides whether there are reasonable grounds to believe you
                are a victim. It is the first of two decisions.
                - Positive: at least 30 days to recover, with support if you want it.
                - Negative: it does not mean you lied. Support stops after a short notice
                period, and the decision can be looked at again if there is more information.
                - The police investigation can carry on either way.""",
                ASK,
            ),
            (ENGLISH, KEY): _t(
                "The reasonable grounds decision",
                """The Home Office will decide whether there are reasonable grounds to believe
                you are a victim. If it is positive you get time and support to recover; if it
                is negative, it can be looked at again.""",
                ASK,
            ),
        },
        Topic.CG_DECISION: {
            (ENGLISH, FULL): _t(
                "The conclusive grounds decision",
                """What it is: the second NRM decision. The Home Office looks at everything it
                has been told and decides whether, on balance, you are a victim of modern
                slavery.""",
                """When: after the recovery period. It often takes months. Waiting is hard; your
                navigator will keep in touch as agreed even when there is no news.""",
                """If it is positive: you are recognised as a victim of modern slavery. Support
                carries on for a time to help you move on, and your support worker makes a plan
                with you. If you are not a UK national, you may be considered for permission
                to stay; free immigration advice can help you understand this.""",
                """If it is negative: it does not mean you lied. NRM support will stop after a
                short notice period. A reconsideration can be asked for if there is more
                information, and free legal advice can help.""",
                """What you can choose: whether to get legal advice, and who you want with you
                when you hear the decision.""",
                ASK,
            ),
            (ENGLISH, HEADLINE): _t(
                "The conclusive grounds decision",
                """- The second NRM decision: whether, on balance, you are a victim.
                - It often takes months.
                - Positive: you are recognised as a victim, with support to move on.
                - Negative: it does not mean you lied; it can be looked at again, and support
                stops after a short notice period.""",
                ASK,
            ),
            (ENGLISH, KEY): _t(
                "The conclusive grounds decision",
                """The Home Office will make its final NRM decision. Either way, your navigator
                will tell you what it means for your support and what you can do next.""",
                ASK,
            ),
        },
        Topic.NEGATIVE_DECISION: {
            (ENGLISH, FULL): _t(
                "After a negative NRM decision",
                """What it means: the Home Office did not find enough to decide that you are a
                victim. It is a decision about the information it had, not a judgement that you
                lied.""",
                """What happens next: NRM support stops after a short notice period. Your
                navigator will tell you the date and help you find other support (housing,
                a doctor, advice) before it ends.""",
                """What you can choose: to ask for a reconsideration if there is more
                information (your navigator or support worker can help), and to get free legal
                advice. The police investigation can carry on, and you can still take part in
                it if you want to.""",
                ASK,
            ),
            (ENGLISH, HEADLINE): _t(
                "After a negative NRM decision",
                """- It is not a judgement that you lied.
                - NRM support stops after a short notice period; other help can be found before.
                - The decision can be looked at again if there is more information.
                - The police investigation can carry on.""",
                ASK,
            ),
            (ENGLISH, KEY): _t(
                "After a negative NRM decision",
                """The decision can be looked at again if there is more information, and you
                can get free legal advice.""",
                ASK,
            ),
        },
        Topic.CHARGING_DECISION: {
            (ENGLISH, FULL): _t(
                "The charging decision",
                """What it is: the police or the Crown Prosecution Service (CPS) decide whether
                to charge a suspect with a crime. They look at whether there is enough evidence,
                and whether a prosecution is needed in the public interest.""",
                """When: there is often no fixed date. Under the Victims' Code you must be told
                the decision, and because you are entitled to enhanced rights you should be
                told quickly, within one working day of it.""",
                """If someone is charged: the case goes to court. The police and the witness
                care unit will tell you the dates, and whether you may be asked to give
                evidence.""",
                """If no one is charged: you have the right to ask for the decision to be
                reviewed (the Victims' Right to Review). Your navigator can help you ask.""",
                """What you can choose: how you want to hear the decision and who tells you.
                Your navigator knows how you want to be told.""",
                ASK,
            ),
            (ENGLISH, HEADLINE): _t(
                "The charging decision",
                """- The police or the CPS decide whether to charge a suspect.
                - You should be told within one working day of the decision.
                - If someone is charged, the case goes to court.
                - If no one is charged, you can ask for the decision to be reviewed.""",
                ASK,
            ),
            (ENGLISH, KEY): _t(
                "The charging decision",
                """You will be told whether a suspect is charged. If no one is charged, you can
                ask for the decision to be reviewed.""",
                ASK,
            ),
        },
        Topic.BAIL_OR_RELEASE: {
            (ENGLISH, FULL): _t(
                "When a suspect is arrested, bailed or released",
                """What it means: after an arrest, the police may keep a suspect in custody,
                release them on bail with conditions (for example, not to contact you or go
                near where you live), or release them while they investigate further.""",
                """What you will be told: under the Victims' Code you should be told if a
                suspect is released, and about any bail conditions meant to protect you.""",
                """Your safety: your navigator and the police will go through a safety plan with
                you. If you see the suspect, or someone contacts you for them, tell the police
                at once. In an emergency, call 999.""",
                """What you can choose: who tells you news about the suspect, and how.""",
                ASK,
            ),
            (ENGLISH, HEADLINE): _t(
                "When a suspect is arrested, bailed or released",
                """- A suspect may be kept in custody, bailed with conditions, or released while
                the police investigate.
                - You should be told if they are released, and about conditions that protect
                you.
                - If you see them or they contact you, tell the police. In an emergency,
                call 999.""",
                ASK,
            ),
            (ENGLISH, KEY): _t(
                "When a suspect is arrested, bailed or released",
                """You will be told if a suspect is released and about any conditions that
                protect you. In an emergency, call 999.""",
            ),
        },
        Topic.COURT_HEARING: {
            (ENGLISH, FULL): _t(
                "Going to court as a witness",
                """What happens: if a suspect is charged and pleads not guilty, there is a
                trial. You may be asked to give evidence as a witness. The witness care unit
                tells you the dates and what to expect, and stays in touch until the end.""",
                """Special measures: as a victim of modern slavery you can ask for help to give
                evidence. For example:
                - a screen, so you do not see the defendant;
                - giving evidence by video link from another room or building;
                - your recorded interview shown as your main evidence;
                - the public asked to leave the court while you speak;
                - an intermediary to help with communication.""",
                """These must be asked for before the trial, and the judge decides. Tell your
                navigator or witness care what would help, as early as you can.""",
                """Before the day: you can ask to visit the court to see the room. You can claim
                back travel costs. You can have someone from the Witness Service with you on the
                day.""",
                ASK,
            ),
            (ENGLISH, HEADLINE): _t(
                "Going to court as a witness",
                """- You may be asked to give evidence at a trial.
                - You can ask for special measures: a screen, a video link, your recorded
                interview shown instead.
                - Ask early: the judge decides before the trial.
                - You can visit the court first and claim travel costs.""",
                ASK,
            ),
            (ENGLISH, KEY): _t(
                "Going to court as a witness",
                """You may be asked to give evidence. You can ask for special measures, such as a
                screen or a video link; ask as early as you can.""",
                ASK,
            ),
        },
        Topic.RELOCATION: {
            (ENGLISH, FULL): _t(
                "Moving somewhere new",
                """What happens: you move to new accommodation, for your safety or because your
                support changes. Your support worker arranges the move and the transport.""",
                """Who will know: only the people who need your new address to help you. Your
                navigator and the police will be told that you moved, so nobody loses touch
                with you, but your address is not shared with others.""",
                """What you can choose: what to take with you, and who you tell. Keep your
                phone charged and your navigator's number saved.""",
                ASK,
            ),
            (ENGLISH, HEADLINE): _t(
                "Moving somewhere new",
                """- Your support worker arranges the move and the transport.
                - Only the people who need your address to help you will have it.
                - Your navigator and the police will be told you moved.""",
                ASK,
            ),
            (ENGLISH, KEY): _t(
                "Moving somewhere new",
                """You are moving. Only the people who need your new address will have it.""",
            ),
        },
        Topic.END_OF_NRM_SUPPORT: {
            (ENGLISH, FULL): _t(
                "When NRM support ends",
                """What happens: support from the National Referral Mechanism is for a time. You
                will be told the date it ends. Before then, your support worker makes a plan
                with you for what comes next.""",
                """What can carry on: help from the local council with housing, a doctor,
                benefits if you are entitled to them, and advice from charities. The police
                investigation carries on, and your navigator stays in touch as you agreed.""",
                """What you can choose: which help to apply for, and whether to get free legal
                or immigration advice.""",
                ASK,
            ),
            (ENGLISH, HEADLINE): _t(
                "When NRM support ends",
                """- You will be told the date NRM support ends.
                - Your support worker makes a plan with you first.
                - Other help can carry on: housing, a doctor, advice.
                - Your navigator stays in touch as agreed.""",
                ASK,
            ),
            (ENGLISH, KEY): _t(
                "When NRM support ends",
                """NRM support will end on a date you will be told. Other help can carry on.""",
            ),
        },
        Topic.VICTIMS_CODE: {
            (ENGLISH, FULL): _t(
                "Your rights under the Victims' Code",
                """The Code of Practice for Victims of Crime sets out what you are entitled to
                from the police, the Crown Prosecution Service and the courts in England and
                Wales. As a victim of modern slavery, you are entitled to enhanced rights.""",
                """Among them:
                - to understand and be understood, with an interpreter if you need one;
                - to be referred to services that support victims;
                - to be told about the investigation, and quickly about key decisions: an
                arrest, a charge, bail or release;
                - to make a Victim Personal Statement, saying how the crime affected you;
                - to be told about the trial and your part in it;
                - to information about compensation;
                - to make a complaint if you do not get these.""",
                ASK,
            ),
            (ENGLISH, HEADLINE): _t(
                "Your rights under the Victims' Code",
                """- An interpreter if you need one.
                - To be told quickly about an arrest, a charge, bail or release.
                - To say how the crime affected you (a Victim Personal Statement).
                - To complain if you do not get your rights.""",
                ASK,
            ),
            (ENGLISH, KEY): _t(
                "Your rights under the Victims' Code",
                """You have the right to be told quickly about key decisions in your case, and
                to an interpreter if you need one.""",
            ),
        },
    }
)

TITLES: Mapping[Topic, str] = MappingProxyType({topic: topic.label for topic in Topic})
