"""Tables of the seed reports (../shared/seeds/), as the tests enter them: the H1 2016/17
outcome table (F1-F6), the Layden House milestone table and the strategic risk register
(SR1-SR13) of lga_performance_report_2016_17_h1.txt.

The seed's RAG cells for milestones and the project summary are coloured dots whose colour
the text copy lost; the RAGs below are the ones a project manager would give those rows
(completed: green; slipped and not yet done: amber). Everything else is the seed's text.
"""

from __future__ import annotations

# (code, outcome, "What has the LGA delivered ...", "Is the LGA on track ...",
#  "What is the impact on Government Policy & Councils?"); Board/lead: Nicola Morton, Resources.
FUNDING_OUTCOMES: list[tuple[str, str, str, str, str]] = [
    (
        "F1",
        "Lobby for fair funding for local government, including multi-year funding settlements",
        "Local authorities are making decisions on whether to accept their multi-year "
        "settlements and we have succeeded in getting the Government to consider "
        "expanding the scope of the offer.",
        "Green",
        "We have succeeded in achieving the Government's commitment to a multi-year settlement.",
    ),
    (
        "F2",
        "Ensure that the consequences for local government of central government reforms "
        "are understood and adequately funded",
        "Contributed to the LGA's Autumn Statement submission by setting out the "
        "financial challenge facing local authorities over the rest of the decade.",
        "Green",
        "This cannot be evaluated until the day of the Autumn Statement.",
    ),
    (
        "F3",
        "Actively engage in the detailed arrangements for 100 per cent business rates retention",
        "Over Q2 we: - Responded to the Government's initial consultations on reform; - "
        "Held a series of joint LGA/DCLG workshops on the consultation across the "
        "country, attracting 250 delegates from 190 local authorities; - Continued "
        "formulating own LGA policy through the Task and finish Group and co-chairing "
        "joint LGA/DCLG officer-level working groups to develop the reforms further.",
        "Green",
        "The LGA is being treated as an important partner in developing the reforms with "
        "significant potential for input on all aspects of the reform. Ministerial "
        "decision on particular parameters have not been taken yet, but pending that the "
        "LGA's influence is strong.",
    ),
    (
        "F4",
        "Develop proposals to improve the business rates appeals system and modernise "
        "valuation and collection",
        "We responded to the Government's consultation on the draft regulations for the "
        "check, challenge, appeal system, stressing the need for strict time limits for "
        "appeals to be raised.",
        "Green",
        "The Government is yet to respond to the consultation and our impact cannot be "
        "evaluated until then, however it is clear that the appeal system is being "
        "reformed in the first place due to the LGA's work in highlighting the issues "
        "regarding risk and uncertainty that arises to local government.",
    ),
    (
        "F5",
        "Lobby for local control over council tax and business rates and the right to "
        "determine new local taxes, and fees and charges which fully recover costs",
        "We continue to call for these flexibilities as part of the Autumn Statement "
        "submission and our work on business rates retention reform.",
        "Green",
        "Regarding council tax, there has been little impact.  Regarding business rates "
        "reform, the LGA is being treated as an important partner in developing the "
        "reforms with significant potential for input on all aspects of the reform. "
        "Ministerial decision on particular parameters have not been taken yet, but "
        "pending that the LGA's influence is strong.",
    ),
    (
        "F6",
        "Lobby to free local government borrowing from Treasury restrictions",
        "We continue to call for HRA borrowing restrictions to be lifted.",
        "Amber",
        "Despit the LGA continuing to lobby for HRA borrowing restrictions to be lifted, "
        "little progress has been made in regards to infuencing Government Policy.",
    ),
]

# The Layden House rows of "Major Projects Milestones": (milestone, Completion, Revised date,
# Status, RAG). Dates as ISO text: "Jul-15" is 2015-07, "11/12/2015" is 2015-12-11. The
# decant row has no original date: its only date, Aug-17, is entered as its due date.
LAYDEN_HOUSE: list[tuple[str, str, str | None, str | None, str]] = [
    ("Procurement of consultant team", "2015-07", None, "Completed", "green"),
    ("LGA approval of concept design", "2015-07", None, "Completed", "green"),
    ("Completion of stage 1 feasibility study", "2015-10", None, "Completed", "green"),
    ("Completion of stage 2 concept design", "2015-11", "2015-11", "Completed", "green"),
    ("Completion of stage 3 and 4 designs", "2016-04", "2016-09", "Completed", "green"),
    ("Issue planning applications options 1 & 2", "2015-12-11", None, "Completed", "green"),
    ("Planning approval", "2016-04-18", "2016-07-12", "Completed", "green"),
    ("Issue 1st stage tender", "2016-01", "2017-01", None, "amber"),
    ("Review tender returns", "2016-03", "2017-04", None, "amber"),
    ("Appoint stage 1 contractor", "2016-05", "2017-05", None, "amber"),
    ("Appoint stage 2 contractor", "2016-08", "2017-08", None, "amber"),
    ("LGA decant from Layden House", "2017-08", None, None, "amber"),
    ("Start on site", "2016-06", "2017-09", None, "amber"),
    ("Project completion", "2017-02", "2018-09", None, "amber"),
]
# Its "Overall" row, and the project's row of the "Major Projects Summary".
LAYDEN_HOUSE_OVERALL = "amber"
LAYDEN_HOUSE_HEADLINE = (
    "Telephone masts removed end September; building recommissioned - repairs, redecoration "
    "and remodelling complete, including creation of conference centre on 5th (top) floor; "
    "Procurement to begin Jan/March 2017 - market may now accept single stage tender which "
    "will give earlier certainty on cost. Main risks 1. critical dependency on completion of "
    "LG House could cause delays and subsequent cost increase 2. Impact of the falling pound "
    "on construction costs 3. Basement flooding currently being investigated and solutions "
    "sought but could have significant cost impact."
)

# "LGA STRATEGIC RISK REGISTER - SUMMARY - September 2016": (Ref, Category, Description of
# risk, Impact, Likelihood, score, Mitigation, Owner).
RISK_REGISTER: list[tuple[str, str, str, int, int, int, str, str]] = [
    (
        "SR1",
        "Effectiveness",
        "The LGA's dependence on central government grant undermines its ability to lobby "
        "and represent the sector effectively.",
        4,
        3,
        12,
        "Continue to develop commercial income streams to reduce dependence on DCLG Grant",
        "SP/VV",
    ),
    (
        "SR2",
        "Effectiveness",
        "The priority to maintain membership levels reduces the LGA's ability to drive "
        "sector led improvement.",
        4,
        2,
        8,
        "Pro-active marketing of improvement and leadership programmes; political "
        "intelligence to enable early targeting of support.",
        "DS HGO'S",
    ),
    (
        "SR3",
        "Effectiveness",
        "Overemphasis on the problems facing councils leads to failure to set ambitious "
        "priorities and seize the strategic opportunities for the sector.",
        5,
        2,
        10,
        "Maintain focus on potential big wins and opportunities for local government",
        "CX",
    ),
    (
        "SR4",
        "Reputation",
        "The LGA, is seen as the main opposition to central government, potentially "
        "impacting adversely on relationships and effective lobbying.",
        5,
        3,
        15,
        "Continue to build and maintain effective, good quality political relationships; "
        "sensitive media/membership messaging",
        "HGOs DH",
    ),
    (
        "SR5",
        "Reputation",
        "Consistent messaging about the crisis in local government damages the LGA's "
        "reputation as an effective voice for the sector.",
        3,
        3,
        9,
        "Ensure that all communications activity balances gains and good news stories "
        "with challenges",
        "DH",
    ),
    (
        "SR6",
        "Reputation",
        "Greater political uncertainty and financial challenge makes it difficult to "
        "deliver consensus.",
        4,
        2,
        8,
        "Monitor through HGOs Ongoing political engagement programmes",
        "HGOs",
    ),
    (
        "SR7",
        "Reputation",
        "The LGA is excluded from or included in Brexit negotiations leading to new "
        "burdens on councils and possible loss of funding",
        4,
        3,
        12,
        "Continue to work with members to determine their requirements Maintain ongoing "
        "relationship and dialogue with government departments",
        "IH",
    ),
    (
        "SR8",
        "Membership",
        "The LGA does not engage with the new Combined Authorities and metro mayors "
        "leading to fragmentation of the sector and the loss of a single voice for local "
        "government.",
        4,
        2,
        8,
        "Tailored offer to mayoral candidates; groups to actively engage with CAs/metro "
        "mayoral candidates to ensure that LGA is seen as their membership body.",
        "HGOs IH",
    ),
    (
        "SR9",
        "Membership",
        "LGA's membership base is reduced as Councils can no longer justify subscription "
        "and through proposed restructures of Fire & Rescue Authorities and Welsh "
        "councils.",
        4,
        3,
        12,
        "Monitor restructure proposals and consider options to retain FRAs; increase "
        "associate membership scheme, including to PCCs. Monitor through HGOs and PAs; "
        "Membership benefits packs",
        "CH PA's HGO's",
    ),
    (
        "SR10",
        "Resource management",
        "Further reductions in income and failure to deliver against commercial targets, "
        "set against the pension deficit, make the LGA/IDeA financially unsustainable.",
        5,
        3,
        15,
        "Action to manage pension funds; use property assets and returns to minimise "
        "revenue contributions to fund deficits; prioritise commercial activity and "
        "property investments; cultural change programme to engender greater commercial "
        "understanding with visible senior and political champions",
        "SP CH PB",
    ),
    (
        "SR11",
        "Resource management",
        "The LGA's high dependence on its property portfolio makes it vulnerable to high "
        "construction costs and a downturn in the property market.",
        4,
        2,
        8,
        "Close monitoring of costs and project risks for refurbishment projects; "
        "continued focus on other commercial opportunities.",
        "SP CH PB",
    ),
    (
        "SR12",
        "Organisation",
        "Loss of key staff reduces the LGA's ability to delivery on the expectations of "
        "its membership.",
        3,
        3,
        9,
        "Succession planning and staff appraisal and development",
        "CH",
    ),
    (
        "SR13",
        "Organisation",
        "ICT systems failure means that LGA is unable to deliver its priorities and "
        "services and flexible working model breaks down",
        5,
        3,
        15,
        "Brent disaster recovery plan regularly reviewed and updated. Close monitoring of "
        "ICT contract",
        "CH",
    ),
]
