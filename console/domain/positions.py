"""The seven positions (岗位) of the hall, plus the supervisor who may take work over."""

from __future__ import annotations

from enum import StrEnum


class Position(StrEnum):
    """A job in the hall; a user signs in to a seat as one position."""

    RECEPTION = "reception"  # 接警引导
    REVIEW = "review"  # 在线审核
    DETERMINATION = "determination"  # 在线认定
    LOOKUP = "lookup"  # 事故查询
    PATROL = "patrol"  # 视频巡查
    CLAIMS = "claims"  # 保险理赔
    RESCUE = "rescue"  # 事故救援
    SUPERVISOR = "supervisor"  # 值班长: takes over locked work with a reason

    @property
    def label_zh(self) -> str:
        return _LABELS_ZH[self]


_LABELS_ZH: dict[Position, str] = {
    Position.RECEPTION: "接警引导",
    Position.REVIEW: "在线审核",
    Position.DETERMINATION: "在线认定",
    Position.LOOKUP: "事故查询",
    Position.PATROL: "视频巡查",
    Position.CLAIMS: "保险理赔",
    Position.RESCUE: "事故救援",
    Position.SUPERVISOR: "值班长",
}
