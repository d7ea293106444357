"""Write a sample determination letter as PDF and PNG to check the layout by eye.

.venv/bin/python installer/letter_preview.py [--pdf OUT.pdf] [--png docs/img/letter-zh.png]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication  # noqa: E402

from console.domain.letter import LetterContent, LetterParty  # noqa: E402
from console.reports.letter import render_letter_image, render_letter_pdf  # noqa: E402


def sample_letter() -> LetterContent:
    """A rear-end collision (追尾) with two parties, issued by officer 张建国 (警号 370501)."""
    return LetterContent(
        issuing_unit="东营市公安局交通警察支队东城大队",
        doc_no="东公交认字〔2026〕第000123号",
        occurred_at=datetime(2026, 5, 3, 6, 25, tzinfo=UTC),
        weather="晴",
        place="东营市东营区西四路与府前大街交叉口北50米",
        lat=37.434564,
        lon=118.674767,
        parties=(
            LetterParty(
                letter="甲",
                name="王志强",
                id_or_licence="370502198806152316",
                phone="13805461234",
                travel_mode="小型轿车",
                plate_type="小型汽车号牌",
                plate_no="鲁E·5K267",
                insurer="中国人民财产保险股份有限公司东营市分公司",
                policy_no="PDZA202637050000012345",
                fault="驾驶机动车未与前车保持足以采取紧急制动措施的安全距离，"
                "违反《中华人民共和国道路交通安全法》第四十三条",
                grade="全部",
                signature="已签名",
            ),
            LetterParty(
                letter="乙",
                name="李秀英",
                id_or_licence="370521199203084428",
                phone="15966018877",
                travel_mode="小型轿车",
                plate_type="小型汽车号牌",
                plate_no="鲁E·D3M90",
                insurer="中国平安财产保险股份有限公司东营中心支公司",
                policy_no="11250003700000987654",
                fault="无导致事故的过错",
                grade="无",
                signature="已签名",
            ),
        ),
        facts="2026年5月3日14时25分许，王志强驾驶鲁E·5K267号小型轿车沿西四路由南向北行驶至"
        "府前大街交叉口北50米处时，追撞前方等候通行的李秀英驾驶的鲁E·D3M90号小型轿车尾部，"
        "造成两车损坏的道路交通事故，无人员受伤。",
        accident_form="113 追尾碰撞",
        collision_parts="甲车前部；乙车尾部",
        officer_name="张建国",
        officer_badge="370501",
        issued_at=datetime(2026, 5, 3, 7, 2, 41, tzinfo=UTC),
        verification_code="K7MXQ2PZ9RTA",
        verification_url="https://jgjc.hall.example.cn/v/K7MXQ2PZ9RTA",
        mediation="经调解，双方自愿达成协议：甲方车辆损失由甲方保险公司在交强险及商业险范围内"
        "赔付；乙方车辆损失由甲方保险公司按定损金额赔付乙方。双方无其他争议。",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render a sample determination letter.")
    parser.add_argument("--pdf", type=Path, default=Path("/tmp/letter-zh.pdf"))
    parser.add_argument("--png", type=Path, default=ROOT / "docs" / "img" / "letter-zh.png")
    parser.add_argument("--dpi", type=int, default=110)
    args = parser.parse_args(argv)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    content = sample_letter()
    started = time.perf_counter()
    pdf = render_letter_pdf(content)
    elapsed = time.perf_counter() - started
    args.pdf.parent.mkdir(parents=True, exist_ok=True)
    args.pdf.write_bytes(pdf)
    args.png.parent.mkdir(parents=True, exist_ok=True)
    if not render_letter_image(content, dpi=args.dpi).save(str(args.png)):
        raise SystemExit(f"could not write {args.png}")
    print(f"{args.pdf}: {len(pdf)} bytes in {elapsed:.2f} s; {args.png}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
