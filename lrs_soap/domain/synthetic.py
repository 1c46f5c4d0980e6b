"""Synthetic learners for load tests and demonstrations: deterministic, varied, wire-valid.

``synthetic_learners(n, seed=s, today=d)`` yields the same learners for the same arguments.
Every value honours the native XSD facets (names 1-35 characters and not blank, UK or BFPO
postcodes, e-mail pattern). About 1% are near-duplicates of an earlier learner (a typo in a
name or another postcode, new ULN) and about 0.5% are duplicates merged into that learner
(``master_uln``). The people are fictional; e-mail domains are under example.com/org/net.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

from lrs_soap.domain.model import LearnerDetails
from lrs_soap.domain.names import name_key, normalise_postcode
from lrs_soap.domain.uln import check_digit

NEAR_DUPLICATE_RATE = 0.01
MERGED_RATE = 0.005
MIN_AGE, MAX_AGE, MAX_NAME_LENGTH = 14, 40, 35


def _words(text: str, separator: str | None = ",") -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(separator) if word.strip())


_MALE = _words("""Oliver, George, Harry, Jack, Jacob, Noah, Charlie, Muhammad, Mohammed, Thomas,
Oscar, William, James, Leo, Alfie, Henry, Joshua, Freddie, Archie, Ethan, Isaac, Alexander, Joseph,
Edward, Samuel, Max, Logan, Lucas, Daniel, Theo, Arthur, Harrison, Benjamin, Mason, Sebastian,
Finley, Adam, Dylan, Zachary, Riley, Teddy, David, Elijah, Jake, Toby, Reuben, Hugo, Luca, Matthew,
Harvey, Reggie, Michael, Jude, Albert, Tommy, Luke, Stanley, Jenson, Frankie, Jayden, Gabriel,
Elliot, Ronnie, Rory, Ryan, Callum, Connor, Kieran, Liam, Aaron, Ben, Craig, Darren, Dean, Gareth,
Jamie, Jordan, Kyle, Lee, Mark, Nathan, Neil, Paul, Peter, Richard, Robert, Ross, Scott, Sean,
Simon, Stephen, Stuart, Wayne, Christopher, Andrew, Anthony, Dafydd, Rhys, Gethin, Owain, Ewan,
Fraser, Hamish, Angus, Lachlan, Seán, Ciarán, Oisín, Cillian, Eoin, Darragh, Aarav, Arjun, Rohan,
Vikram, Sanjay, Rahul, Imran, Bilal, Hamza, Yusuf, Ibrahim, Omar, Ali, Hassan, Abdullah, Zain,
Kwame, Kofi, Chidi, Emeka, Oluwaseun, Tunde, Wei, Jun, Hiroshi, Minh, Jakub, Łukasz, Piotr,
Tomasz, Krzysztof, Andrei, Mihai, Ionuț, Mateo, José, Diego, João, François, Jean-Luc, Jean-Paul,
Stefan, Matthias, Giovanni, Dmitri, Mehmet, Emre, Kai, Tyrone, Dwayne, Leroy, Abdul Rahman""")
_FEMALE = _words("""Olivia, Amelia, Isla, Ava, Mia, Ivy, Lily, Isabella, Rosie, Sophia, Grace,
Willow, Freya, Florence, Emily, Ella, Poppy, Evie, Elsie, Charlotte, Evelyn, Sienna, Sofia, Daisy,
Phoebe, Sophie, Alice, Harper, Matilda, Ruby, Emilia, Maya, Millie, Isabelle, Eva, Luna, Jessica,
Ellie, Aria, Chloe, Chloé, Zoë, Zoe, Hannah, Holly, Lucy, Megan, Lauren, Bethany, Amy, Rebecca,
Sarah, Laura, Rachel, Emma, Gemma, Kirsty, Leanne, Nicola, Samantha, Stacey, Kelly, Claire,
Michelle, Danielle, Natalie, Jade, Abigail, Katie, Jennifer, Elizabeth, Victoria, Catherine,
Anne-Marie, Mary-Jane, Rhiannon, Carys, Ffion, Seren, Cerys, Eleri, Siân, Niamh, Aoife, Siobhán,
Róisín, Caoimhe, Saoirse, Eilidh, Morag, Iona, Priya, Ananya, Aisha, Fatima, Zainab, Maryam,
Amira, Layla, Noor, Hafsa, Khadija, Yasmin, Sana, Deepa, Kavya, Simran, Harpreet, Gurpreet,
Chiamaka, Ngozi, Adaeze, Folake, Abena, Ama, Mei, Yan, Yuki, Linh, Agnieszka, Małgorzata,
Katarzyna, Zofia, Ioana, Andreea, Elena, María, Lucía, Inês, Beatriz, Amélie, Léa, Anaïs, Hélène,
Giulia, Francesca, Anastasia, Elif, Zeynep, Ayşe, Keisha, Shanice, Tia, Nur Aisyah""")
_FAMILY = _words("""Smith, Jones, Williams, Taylor, Brown, Davies, Evans, Wilson, Thomas, Johnson,
Roberts, Robinson, Thompson, Wright, Walker, White, Edwards, Hughes, Green, Hall, Lewis, Harris,
Clarke, Patel, Jackson, Wood, Turner, Martin, Cooper, Hill, Ward, Morris, Moore, Clark, Lee, King,
Baker, Harrison, Morgan, Allen, James, Scott, Phillips, Watson, Davis, Parker, Price, Bennett,
Young, Griffiths, Mitchell, Kelly, Cook, Carter, Richardson, Bailey, Collins, Bell, Shaw, Murphy,
Miller, Cox, Richards, Khan, Marshall, Anderson, Simpson, Ellis, Adams, Singh, Begum, Wilkinson,
Foster, Chapman, Powell, Webb, Rogers, Gray, Mason, Ali, Hunt, Hussain, Campbell, Matthews, Owen,
Palmer, Holmes, Mills, Barnes, Knight, Lloyd, Butler, Russell, Barker, Fisher, Stevens, Jenkins,
Murray, Dixon, Harvey, Graham, Pearson, Ahmed, Fletcher, Walsh, Kaur, Gibson, Howard, Andrews,
Stewart, Elliott, Reynolds, Saunders, Payne, Fox, Ford, Pearce, Day, Brooks, West, Lawrence, Cole,
Atkinson, Bradley, Spencer, Gill, Dawson, Ball, Burton, O'Brien, Watts, Rose, Booth, Perry, Ryan,
Grant, Wells, Armstrong, Francis, Rees, Hayes, Hart, Hudson, Newman, Barrett, Webster, Hunter,
Gregory, Carr, Lowe, Page, Marsh, Riley, Dunn, Woods, Parsons, Berry, Stone, Reid, Holland,
Hawkins, Harding, Porter, Robertson, Newton, Oliver, Reed, Kennedy, Williamson, Bird, Gardner,
Shah, Dean, Lane, Cooke, Bates, Henderson, Parry, Burgess, Bishop, Walton, Burns, Nicholson,
Shepherd, Ross, Cross, Long, Freeman, Warren, Nicholls, Hamilton, Byrne, Sutton, McDonald, Yates,
Hodgson, Robson, Curtis, Hopkins, O'Connor, Harper, Coleman, Watkins, Moss, McCarthy, Chambers,
O'Neill, Griffin, Sharp, Hardy, Wheeler, Potter, Osborne, Johnston, Gordon, Doyle, Wallace,
George, Jordan, Hutchinson, Rowe, Burke, May, Pritchard, Gilbert, Willis, Higgins, Read, Miles,
Stevenson, Hammond, Arnold, Buckley, Walters, Hewitt, Barber, Nelson, Slater, Austin, Sullivan,
Whitehead, Mann, Frost, Lambert, Blake, Akhtar, Lynch, Goodwin, Barton, Woodward, Thomson,
Cunningham, Quinn, Barnett, Baxter, Bibi, Clayton, Nash, Greenwood, Jennings, Holt, Kemp, Poole,
Gallagher, Bond, Stokes, Tucker, Davidson, Fowler, Heath, Norman, Middleton, Lawson, Banks,
French, Jarvis, Gibbs, Ferguson, Hayward, Carroll, Douglas, Dickinson, Todd, Barlow, Peters,
Lucas, Knowles, Hartley, Miah, Morton, Field, Morrison, Norris, Townsend, Preston, Thornton,
Rahman, Chowdhury, Uddin, Islam, Sharma, Mistry, Chauhan, Mahmood, Iqbal, Malik, Okafor,
Okonkwo, Adeyemi, Mensah, Asante, Nwosu, Chen, Wang, Li, Zhang, Liu, Nguyen, Tran, Kim, Nowak,
Kowalski, Wiśniewski, Wójcik, Popescu, Ionescu, Silva, Santos, Ferreira, García, Rodríguez,
Fernández, López, Müller, Weiß, Rossi, Russo, Yılmaz, Kaya, D'Souza, D'Cruz, de Souza, da Silva,
van der Merwe, MacLeod, MacDonald, McKenzie, McLaughlin, Ó Súilleabháin, Fitzgerald, ap Rhys,
Smith-Jones, Bowes-Lyon, Parker-Bowles, Fox-Pitt, Vaughan-Williams,
Wolfeschlegelsteinhausenbergerdorff""")
_PLACES = _words("""London, Birmingham, Manchester, Leeds, Liverpool, Sheffield, Bristol, Norwich,
Newcastle upon Tyne, Nottingham, Leicester, Coventry, Bradford, Cardiff, Swansea, Glasgow, Lagos,
Edinburgh, Aberdeen, Belfast, Londonderry, Plymouth, Southampton, Kingston upon Hull, Luton,
Stoke-on-Trent, Wolverhampton, Sunderland, Brighton, Reading, Milton Keynes, Dublin, Karachi,
Lahore, Mumbai, Delhi, Dhaka, Sylhet, Warsaw, Kraków, Bucharest, Lisbon, Madrid, Paris, Kingston,
Accra, Nairobi, Hong Kong, Ho Chi Minh City""")
_SCHOOLS = _words("""Academy, High School, Grammar School, Community College, School, Free School,
Comprehensive School, Church of England Academy, Catholic High School""")
# Postcode areas with their highest district number; central London sub-districts apart.
_AREAS = tuple((code.rstrip("0123456789"), int(code.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")))
               for code in _words("""
AB56 AL10 B98 BA22 BB18 BD24 BH31 BL9 BN45 BR8 BS49 BT94 CA28 CB25 CF83 CH66 CM24 CO16 CR8 CT21
CV47 CW12 DA18 DD11 DE75 DG16 DH9 DL17 DN41 DT11 DY14 E18 EH55 EN11 EX39 FK21 FY8 G84 GL56 GU52
HA9 HD9 HG5 HP27 HR9 HU20 HX7 IG11 IP33 IV63 KA30 KT24 KY16 L40 LA23 LD8 LE67 LL78 LN13 LS29 LU7
M90 ME20 MK46 ML12 N22 NE71 NG34 NN29 NP44 NR35 NW11 OL16 OX49 PA80 PE38 PH50 PL35 PO41 PR26 RG45
RH20 RM20 S81 SA73 SE28 SG19 SK23 SL9 SM7 SN26 SO53 SP11 SR8 SS17 ST21 SW20 SY25 TA24 TD15 TF13
TN40 TQ14 TR27 TS29 TW20 UB11 W14 WA16 WD25 WF17 WN8 WR15 WS15 WV16 YO62""", None))
_SUB_DISTRICTS = _words("EC1A EC1M EC2A EC3R EC4M WC1B WC2H W1D W1T SW1A SW1P SE1P N1C E1W", None)
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the XSD's inward-code letters: no C, I, K, M, O, V
_EMAIL_DOMAINS = _words("example.com, example.org, example.net, mail.example.com, uni.example.org")
# Evidence of identity: mostly none recorded (0), "999" (other, described) about 1 in 100.
_VERIFICATION = ("0",) * 50 + ("1",) * 20 + ("2",) * 10 + ("3", "4", "5", "6", "7") * 3 + ("999",)
_EMAIL_SUFFIXES = ("",) * 100 + tuple(str(n) for n in range(100))
_OTHER_EVIDENCE = _words("Letter from a social worker, Youth offending team letter, Care card")
_POOL_SIZE = 2048  # near-duplicates copy one of the last originals


@dataclass(frozen=True, slots=True)
class SyntheticLearner:
    uln: str
    details: LearnerDetails
    master_uln: str | None = None  # set on a duplicate already merged into that learner


def synthetic_learners(count: int, *, seed: int = 0, today: dt.date
                       ) -> Iterator[SyntheticLearner]:
    """``count`` learners aged 14-40 on ``today``, the same ones for the same arguments."""
    if count < 0:
        raise ValueError("count must not be negative")
    return _Generator(random.Random(seed), today).learners(count)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@functools.lru_cache(maxsize=4096)
def _ascii_key(name: str) -> str:
    return "".join(c for c in name_key(name) if c.isascii()) or "learner"


class _Generator:
    def __init__(self, rng: random.Random, today: dt.date):
        self._rng, self._random = rng, rng.random
        self._issued: set[int] = set()
        self._pool: list[SyntheticLearner] = []
        # Aged 14 from the 14th birthday; aged 40 until the day before the 41st.
        self._oldest = _years_before(today, MAX_AGE + 1).toordinal() + 1
        self._youngest = _years_before(today, MIN_AGE).toordinal()
        self._sixteen = _years_before(today, 16).toordinal()  # born by then: had a school at 16

    def _pick(self, items):
        """rng.choice at a third of the cost: one float per pick (bias below 2**-40)."""
        return items[int(self._random() * len(items))]

    def learners(self, count: int) -> Iterator[SyntheticLearner]:
        pool = self._pool
        for index in range(count):
            draw = self._random()
            if pool and draw < MERGED_RATE + NEAR_DUPLICATE_RATE:
                original = self._pick(pool)
                master = original.uln if draw < MERGED_RATE else None
                yield SyntheticLearner(self._uln(), self._variant(original.details), master)
                continue
            learner = SyntheticLearner(self._uln(), self._details())
            if len(pool) < _POOL_SIZE:
                pool.append(learner)
            else:
                pool[index % _POOL_SIZE] = learner
            yield learner

    def _uln(self) -> str:
        while True:
            body = 100_000_000 + int(self._random() * 900_000_000)
            digit = check_digit(str(body))
            if digit is not None and body not in self._issued:
                self._issued.add(body)
                return f"{body}{digit}"

    def _postcode(self) -> str:
        pick, draw = self._pick, self._random()
        if draw < 0.002:
            return normalise_postcode(f"BFPO {1 + int(self._random() * 2000)}")
        if draw < 0.03:
            outward = pick(_SUB_DISTRICTS)
        else:
            area, top = pick(_AREAS)
            outward = f"{area}{1 + int(self._random() * top)}"
        inward = f"{pick('0123456789')}{pick(_INWARD_LETTERS)}{pick(_INWARD_LETTERS)}"
        return normalise_postcode(outward + inward)

    def _family_name(self) -> str:
        name = self._pick(_FAMILY)
        if self._random() < 0.02:  # a double-barrelled name made here
            joined = f"{name}-{self._pick(_FAMILY)}"
            name = joined if len(joined) <= MAX_NAME_LENGTH else name
        return name

    def _details(self) -> LearnerDetails:
        pick, chance = self._pick, self._random
        draw = chance()
        gender = "1" if draw < 0.485 else "2" if draw < 0.97 else "0" if draw < 0.985 else "9"
        # Gender 0 and 9: half take names from each list.
        names = _MALE if gender == "1" or (gender != "2" and draw < 0.9775) else _FEMALE
        given, family = pick(names), self._family_name()
        dob = self._oldest + int(chance() * (self._youngest - self._oldest + 1))
        verification, share = pick(_VERIFICATION), chance()
        extra: dict[str, str] = {}
        if chance() < 0.25:
            extra["middle_other_name"] = pick(names)
        if chance() < 0.05:
            extra["previous_family_name"] = pick(_FAMILY)
        if chance() < 0.35:
            local = f"{_ascii_key(given)}.{_ascii_key(family)}{pick(_EMAIL_SUFFIXES)}"
            extra["email_address"] = f"{local}@{pick(_EMAIL_DOMAINS)}"
        if chance() < 0.3:
            extra["place_of_birth"] = pick(_PLACES)
        if chance() < 0.2 and dob <= self._sixteen:
            extra["school_at_age_16"] = f"{pick(_PLACES)} {pick(_SCHOOLS)}"
        if verification == "999":
            extra["other_verification_description"] = pick(_OTHER_EVIDENCE)
        return LearnerDetails(
            given_name=given, family_name=family, date_of_birth=dt.date.fromordinal(dob),
            gender=gender, postcode=self._postcode(), verification_type=verification,
            ability_to_share="1" if share < 0.9 else "0" if share < 0.98 else "2", **extra)

    def _variant(self, details: LearnerDetails) -> LearnerDetails:
        """The same person keyed again: one name mistyped, or another postcode. Either way
        the five demographics differ, so the variant is never an exact duplicate."""
        draw = self._rng.random()
        if draw < 0.35:
            return replace(details, given_name=self._typo(details.given_name))
        if draw < 0.7:
            return replace(details, family_name=self._typo(details.family_name))
        while (postcode := self._postcode()) == details.postcode:
            pass
        return replace(details, postcode=postcode)

    def _typo(self, name: str) -> str:
        """A keying slip changing the name's key: a letter swapped, dropped, doubled or mistyped."""
        rng, key = self._rng, name_key(name)
        for _ in range(8):
            i = rng.randrange(len(name) - 1)
            typo = rng.choice((name[:i] + name[i + 1] + name[i] + name[i + 2:],
                               name[:i] + name[i + 1:],
                               name[:i] + name[i] + name[i:],
                               name[:i] + rng.choice("aeiouy") + name[i + 1:]))
            if name_key(typo) not in ("", key) and len(typo) <= MAX_NAME_LENGTH:
                return typo
        return name[:-1] + ("e" if key[-1:] != "e" else "a")
