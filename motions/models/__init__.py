"""Proposals (提议), inquiries (询问/质询) with the confidential misconduct channel, and first
deliberation (首议).

Motions voted by ballot (票决) come with the motions issue; they will link back to the proposal or the
topic they came from (see `Proposal`'s docstring).
"""

from .deliberation import (
    DiscussionGroup,
    SurveyAudience,
    Topic,
    TopicOpinion,
    TopicSource,
    TopicStatus,
    TopicSurvey,
    WrittenNoticeChannel,
)
from .inquiries import (
    AnswerMode,
    Inquiry,
    InquiryAnswer,
    InquiryCosigner,
    InquiryDay,
    InquiryKind,
    InquiryRating,
    InquiryStatus,
    MisconductReport,
    ReportKind,
    ReportStatus,
)
from .proposals import (
    CosignStatus,
    Outcome,
    Proposal,
    ProposalAnswer,
    ProposalChannel,
    ProposalCosigner,
    ProposalExtension,
    ProposalProgress,
    ProposalStatus,
    Satisfaction,
)

__all__ = [
    "AnswerMode",
    "CosignStatus",
    "DiscussionGroup",
    "Inquiry",
    "InquiryAnswer",
    "InquiryCosigner",
    "InquiryDay",
    "InquiryKind",
    "InquiryRating",
    "InquiryStatus",
    "MisconductReport",
    "Outcome",
    "Proposal",
    "ProposalAnswer",
    "ProposalChannel",
    "ProposalCosigner",
    "ProposalExtension",
    "ProposalProgress",
    "ProposalStatus",
    "ReportKind",
    "ReportStatus",
    "Satisfaction",
    "SurveyAudience",
    "Topic",
    "TopicOpinion",
    "TopicSource",
    "TopicStatus",
    "TopicSurvey",
    "WrittenNoticeChannel",
]
