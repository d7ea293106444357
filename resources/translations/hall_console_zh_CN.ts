<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlertStrip</name>
    <message>
        <source>Overdue complaints: {count} ({calls} not called within 24 h, {unpaid} unpaid past the deadline): {which}{more}</source>
        <translation>超期投诉：{count}件（{calls}件未在24小时内致电，{unpaid}件逾期未赔付）：{which}{more}</translation>
    </message>
</context>
<context>
    <name>AnswerBox</name>
    <message>
        <source>— not asked</source>
        <translation>— 未询问</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
</context>
<context>
    <name>AssessmentForm</name>
    <message>
        <source>No claim open</source>
        <translation>未打开理赔</translation>
    </message>
    <message>
        <source>Choose a claim in the queue and press Enter.</source>
        <translation>在上方列表中选择一条理赔，按回车打开。</translation>
    </message>
    <message>
        <source>Case {case_no} · {state}</source>
        <translation>案件 {case_no} · {state}</translation>
    </message>
    <message>
        <source>letter {doc_no}</source>
        <translation>认定书 {doc_no}</translation>
    </message>
    <message>
        <source>no letter yet</source>
        <translation>尚无认定书</translation>
    </message>
    <message>
        <source>Accident {when} · {place} · {letter}</source>
        <translation>事故时间 {when} · {place} · {letter}</translation>
    </message>
    <message>
        <source>insurer unknown</source>
        <translation>承保公司不详</translation>
    </message>
    <message>
        <source>{insurer} (ours)</source>
        <translation>{insurer}（本公司）</translation>
    </message>
    <message>
        <source>Party {letter}: {name} · {plate} · liability {grade} · {insurer}</source>
        <translation>{letter}方：{name} · {plate} · {grade} · {insurer}</translation>
    </message>
    <message>
        <source>not taken</source>
        <translation>未领取</translation>
    </message>
    <message>
        <source>Party {letter} · {plate} · report no. {report} · {handler}</source>
        <translation>{letter}方 · {plate} · 报案号 {report} · {handler}</translation>
    </message>
    <message>
        <source>Your company has no claim on this case yet; it is opened when the letter or the parties&apos; agreement is pushed.</source>
        <translation>本公司在本案尚无理赔；认定书或当事人协议推送后即自动立案。</translation>
    </message>
    <message>
        <source>Other insurers&apos; claims not paid yet: {count}. The case settles when every claim on it is paid.</source>
        <translation>其他保险公司尚未赔付的理赔：{count} 件。本案全部理赔赔付后方可结案。</translation>
    </message>
    <message>
        <source>Loss assessment · party {letter} · {plate}</source>
        <translation>定损 · {letter}方 · {plate}</translation>
    </message>
    <message>
        <source>Loss assessment</source>
        <translation>定损</translation>
    </message>
    <message>
        <source>Knock-for-knock applies: each insurer pays its own insured&apos;s loss.</source>
        <translation>适用互碰自赔：各保险公司赔付本方被保险车辆的损失。</translation>
    </message>
    <message>
        <source>Knock-for-knock does not apply:</source>
        <translation>不适用互碰自赔：</translation>
    </message>
    <message>
        <source>Knock-for-knock may apply once these are known:</source>
        <translation>以下情况明确后可能适用互碰自赔：</translation>
    </message>
    <message>
        <source>Not yet known:</source>
        <translation>尚不明确：</translation>
    </message>
    <message>
        <source>Accident to payout: {time}</source>
        <translation>事故至赔付用时：{time}</translation>
    </message>
    <message>
        <source>Since the accident: {time} (not paid yet)</source>
        <translation>距事故发生：{time}（尚未赔付）</translation>
    </message>
    <message>
        <source>Our claims on this case</source>
        <translation>本公司在本案的理赔</translation>
    </message>
    <message>
        <source>Damaged parts</source>
        <translation>受损部位</translation>
    </message>
    <message>
        <source>e.g. 后保险杠、左尾灯 (separate with 、)</source>
        <translation>如 后保险杠、左尾灯（用“、”分隔）</translation>
    </message>
    <message>
        <source>Assessed amount (yuan)</source>
        <translation>定损金额（元）</translation>
    </message>
    <message>
        <source>e.g. 1800 or 1800.50</source>
        <translation>如 1800 或 1800.50</translation>
    </message>
    <message>
        <source>Repair shop</source>
        <translation>维修单位</translation>
    </message>
    <message>
        <source>Settle knock-for-knock (each insurer pays its own insured)</source>
        <translation>按互碰自赔处理（各自赔付本方车辆）</translation>
    </message>
    <message>
        <source>Save the assessment (Ctrl+Enter)</source>
        <translation>保存定损（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Payout</source>
        <translation>赔付</translation>
    </message>
    <message>
        <source>Amount paid (yuan)</source>
        <translation>赔付金额（元）</translation>
    </message>
    <message>
        <source>Paid at:</source>
        <translation>赔付时间：</translation>
    </message>
    <message>
        <source>now, when you record it</source>
        <translation>登记时的当前时间</translation>
    </message>
    <message>
        <source>Record the payout (Ctrl+Shift+P)</source>
        <translation>登记赔付（Ctrl+Shift+P）</translation>
    </message>
    <message>
        <source>Take the claim (F2)</source>
        <translation>领取理赔（F2）</translation>
    </message>
    <message>
        <source>Show the letter (Ctrl+P)</source>
        <translation>查看认定书（Ctrl+P）</translation>
    </message>
</context>
<context>
    <name>CallBanner</name>
    <message>
        <source>☎ {count} calls waiting · longest {wait} · press {key} to answer</source>
        <translation>☎ {count} 个来电等待 · 最长 {wait} · 按 {key} 接听</translation>
    </message>
</context>
<context>
    <name>CallDesk</name>
    <message>
        <source>No call is ringing at your seat.</source>
        <translation>本席位没有等待接听的来电。</translation>
    </message>
    <message>
        <source>You answered {phone}.</source>
        <translation>已接听 {phone}。</translation>
    </message>
    <message>
        <source>Call sent to {target}; it rings there now.</source>
        <translation>来电已转至 {target}，正在振铃。</translation>
    </message>
    <message>
        <source>Call ended.</source>
        <translation>通话已结束。</translation>
    </message>
    <message>
        <source>The caller has hung up.</source>
        <translation>来电人已挂断。</translation>
    </message>
    <message>
        <source>{phone} was answered by {name} at seat {seat}.</source>
        <translation>{phone} 已由 {name} 在席位 {seat} 接听。</translation>
    </message>
    <message>
        <source>The 122 gateway was not told ({detail}); the hall&apos;s record stands.</source>
        <translation>未能通知122网关（{detail}）；大厅记录保持有效。</translation>
    </message>
    <message>
        <source>Call filed with case {case_no}.</source>
        <translation>来电已关联案件 {case_no}。</translation>
    </message>
    <message>
        <source>Case {case_no} opened.</source>
        <translation>已建立案件 {case_no}。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Guidance SMS queued to {to}.</source>
        <translation>引导短信已排队发送至 {to}。</translation>
    </message>
    <message>
        <source>Case {case_no} escalated to on-scene police.</source>
        <translation>案件 {case_no} 已转现场民警处理。</translation>
    </message>
    <message>
        <source>Case {case_no} referred to the offline service centre.</source>
        <translation>案件 {case_no} 已转线下快处中心。</translation>
    </message>
</context>
<context>
    <name>CallLinkStatus</name>
    <message>
        <source>Call link: not configured</source>
        <translation>来电链路：未配置</translation>
    </message>
    <message>
        <source>Call link: live</source>
        <translation>来电链路：正常</translation>
    </message>
    <message>
        <source>Call link: slow</source>
        <translation>来电链路：响应缓慢</translation>
    </message>
    <message>
        <source>Call link lost, reconnecting…</source>
        <translation>来电链路中断，正在重连…</translation>
    </message>
</context>
<context>
    <name>CallPanel</name>
    <message>
        <source>Ringing ({key} answers the oldest)</source>
        <translation>振铃中（{key} 接听最早来电）</translation>
    </message>
    <message>
        <source>On the line</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>Transfer ({key})</source>
        <translation>转接（{key}）</translation>
    </message>
    <message>
        <source>Hang up ({key})</source>
        <translation>挂断（{key}）</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Talking</source>
        <translation>通话时长</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Send to</source>
        <translation>转至</translation>
    </message>
    <message>
        <source>Maybe the same accident ({key} links)</source>
        <translation>可能是同一起事故（{key} 关联）</translation>
    </message>
    <message>
        <source>Link the call to this case</source>
        <translation>将来电关联到此案件</translation>
    </message>
    <message>
        <source>Not on a call</source>
        <translation>未在通话</translation>
    </message>
    <message>
        <source>not given</source>
        <translation>未提供</translation>
    </message>
    <message>
        <source>no case yet</source>
        <translation>尚未建案</translation>
    </message>
    <message>
        <source>Landline: ask for a mobile number for the SMS.</source>
        <translation>固定电话：请询问手机号码以便发送短信。</translation>
    </message>
    <message>
        <source>{case_no} · {state} · {place} · {reasons} · {minutes} min apart</source>
        <translation>{case_no} · {state} · {place} · {reasons} · 相隔 {minutes} 分钟</translation>
    </message>
    <message>
        <source>same phone</source>
        <translation>同一电话</translation>
    </message>
    <message>
        <source>same plate</source>
        <translation>同一号牌</translation>
    </message>
    <message>
        <source>nearby</source>
        <translation>地点相近</translation>
    </message>
    <message>
        <source>{position} (any seat)</source>
        <translation>{position}（任一席位）</translation>
    </message>
    <message>
        <source>Seat {seat} · {position}</source>
        <translation>席位 {seat} · {position}</translation>
    </message>
</context>
<context>
    <name>CameraTile</name>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} 分钟</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>直播</translation>
    </message>
    <message>
        <source>Stalled</source>
        <translation>卡顿</translation>
    </message>
    <message>
        <source>Reconnecting ({attempt})</source>
        <translation>重连中 ({attempt})</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <source>{state}: {reason}</source>
        <translation>{state}：{reason}</translation>
    </message>
    <message>
        <source>connection refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <source>no answer within {seconds} s</source>
        <translation>{seconds} 秒内无应答</translation>
    </message>
    <message>
        <source>the stream ended</source>
        <translation>视频流已中断</translation>
    </message>
    <message>
        <source>opening hung for {seconds} s; gave up</source>
        <translation>打开视频流卡住 {seconds} 秒，已放弃</translation>
    </message>
    <message>
        <source>reading hung for {seconds} s; gave up</source>
        <translation>读取视频流卡住 {seconds} 秒，已放弃</translation>
    </message>
    <message>
        <source>no frame for {seconds} s</source>
        <translation>{seconds} 秒无画面</translation>
    </message>
    <message>
        <source>Drag a camera here</source>
        <translation>把摄像机拖到这里</translation>
    </message>
    <message>
        <source>Layout locked — F4 to edit</source>
        <translation>布局已锁定 — 按 F4 编辑</translation>
    </message>
</context>
<context>
    <name>CameraTreePanel</name>
    <message>
        <source>Offline: {reason}</source>
        <translation>离线：{reason}</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Reconnecting (attempt {n})…</source>
        <translation>正在重连（第 {n} 次）…</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>正在重连…</translation>
    </message>
    <message>
        <source>No new picture: the stream has stalled</source>
        <translation>画面停滞：视频流暂无新画面</translation>
    </message>
    <message>
        <source>Paused: its tile is hidden</source>
        <translation>已暂停：所在画面窗格未显示</translation>
    </message>
    <message>
        <source>Not on the wall: state unknown</source>
        <translation>未上墙：状态未知</translation>
    </message>
    <message>
        <source>{live} of {total} cameras live</source>
        <translation>{total} 路摄像机中 {live} 路在线</translation>
    </message>
    <message>
        <source>Loading the cameras…</source>
        <translation>正在加载摄像机…</translation>
    </message>
    <message>
        <source>No camera matches</source>
        <translation>没有符合条件的摄像机</translation>
    </message>
    <message>
        <source>The camera registry is empty</source>
        <translation>摄像机目录为空</translation>
    </message>
    <message>
        <source>Search camera name or number (Ctrl+F)</source>
        <translation>搜索摄像机名称或编号（Ctrl+F）</translation>
    </message>
    <message>
        <source>Offline only</source>
        <translation>仅看离线</translation>
    </message>
    <message>
        <source>Show only the cameras that are offline (Alt+O)</source>
        <translation>只显示离线的摄像机（Alt+O）</translation>
    </message>
    <message>
        <source>The camera list cannot be loaded; retrying. {reason}</source>
        <translation>无法加载摄像机列表，正在重试。{reason}</translation>
    </message>
</context>
<context>
    <name>CaseDetailPanel</name>
    <message>
        <source>No case open</source>
        <translation>未打开案件</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>保存 (Ctrl+S)</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>事故信息</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>事故地点</translation>
    </message>
    <message>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>号牌号码</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆类型</translation>
    </message>
    <message>
        <source>Insurer</source>
        <translation>承保公司</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>保单号</translation>
    </message>
    <message>
        <source>Liability</source>
        <translation>责任</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Seat</source>
        <translation>席位</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Parties and vehicles</source>
        <translation>当事人及车辆</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>办理记录</translation>
    </message>
    <message>
        <source>Case {case_no} · {state}</source>
        <translation>案件 {case_no} · {state}</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>无人</translation>
    </message>
    <message>
        <source>Waiting on: {owner} · handled by: {holder} · occurred {occurred} · opened {created} · caller {phone}</source>
        <translation>待办岗位：{owner} · 处理人：{holder} · 事发：{occurred} · 受理：{created} · 报警人电话：{phone}</translation>
    </message>
    <message>
        <source>{insurer} for party {party}: {note}</source>
        <translation>{insurer}（{party}方）：{note}</translation>
    </message>
    <message>
        <source>notified</source>
        <translation>已推送</translation>
    </message>
    <message>
        <source>reported</source>
        <translation>已报案</translation>
    </message>
    <message>
        <source>surveying</source>
        <translation>查勘中</translation>
    </message>
    <message>
        <source>assessed</source>
        <translation>已定损</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>已赔付</translation>
    </message>
    <message>
        <source>report no. {no}</source>
        <translation>报案号 {no}</translation>
    </message>
    <message>
        <source>paid {amount} yuan</source>
        <translation>赔付 {amount} 元</translation>
    </message>
    <message>
        <source>assessed {amount} yuan</source>
        <translation>定损 {amount} 元</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Claimed</source>
        <translation>领取</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>释放</translation>
    </message>
    <message>
        <source>Taken over</source>
        <translation>接管</translation>
    </message>
    <message>
        <source>Edited</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Call linked</source>
        <translation>关联来电</translation>
    </message>
    <message>
        <source>Call answered</source>
        <translation>接听来电</translation>
    </message>
    <message>
        <source>Call transferred</source>
        <translation>转接来电</translation>
    </message>
    <message>
        <source>Call ended</source>
        <translation>通话结束</translation>
    </message>
    <message>
        <source>Caller hung up</source>
        <translation>来电人挂断</translation>
    </message>
    <message>
        <source>Caller hung up before answer</source>
        <translation>来电人未接通即挂断</translation>
    </message>
    <message>
        <source>Guidance SMS queued</source>
        <translation>引导短信已排队</translation>
    </message>
    <message>
        <source>Parties&apos; upload received</source>
        <translation>收到当事人上传材料</translation>
    </message>
    <message>
        <source>Records checked</source>
        <translation>信息核查完成</translation>
    </message>
    <message>
        <source>SMS sent</source>
        <translation>短信已发送</translation>
    </message>
    <message>
        <source>SMS delivered</source>
        <translation>短信已送达</translation>
    </message>
    <message>
        <source>SMS not delivered</source>
        <translation>短信未送达</translation>
    </message>
    <message>
        <source>Sending given up</source>
        <translation>已放弃发送</translation>
    </message>
    <message>
        <source>Insurer answered</source>
        <translation>保险公司答复</translation>
    </message>
    <message>
        <source>Insurer declined the claim</source>
        <translation>保险公司拒赔</translation>
    </message>
    <message>
        <source>Video evidence attached</source>
        <translation>已附视频证据</translation>
    </message>
    <message>
        <source>Claim taken by the insurer</source>
        <translation>保险公司已领取理赔</translation>
    </message>
    <message>
        <source>Loss assessed</source>
        <translation>已定损</translation>
    </message>
    <message>
        <source>Payout recorded</source>
        <translation>已登记赔付</translation>
    </message>
    <message>
        <source>Non-payment complaint filed</source>
        <translation>已登记未赔付投诉</translation>
    </message>
    <message>
        <source>Insurer called about the complaint</source>
        <translation>已就投诉致电保险公司</translation>
    </message>
    <message>
        <source>Insurer sanctioned, plate watch-listed</source>
        <translation>已惩戒保险公司，号牌已布控</translation>
    </message>
    <message>
        <source>Complaint closed: paid</source>
        <translation>投诉已办结：已赔付</translation>
    </message>
    <message>
        <source>Watch-listed plate seen at a checkpoint</source>
        <translation>布控号牌经过卡口</translation>
    </message>
    <message>
        <source>Citizen helper linked</source>
        <translation>已关联热心群众</translation>
    </message>
    <message>
        <source>Nothing to save.</source>
        <translation>没有需要保存的修改。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
</context>
<context>
    <name>CaseHistoryDialog</name>
    <message>
        <source>Opened</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Claimed</source>
        <translation>领取</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>释放</translation>
    </message>
    <message>
        <source>Taken over</source>
        <translation>接管</translation>
    </message>
    <message>
        <source>Edited</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Call linked</source>
        <translation>关联来电</translation>
    </message>
    <message>
        <source>Parties&apos; upload received</source>
        <translation>收到当事人上传材料</translation>
    </message>
    <message>
        <source>Records checked</source>
        <translation>信息核查完成</translation>
    </message>
    <message>
        <source>Guidance SMS queued</source>
        <translation>引导短信待发送</translation>
    </message>
    <message>
        <source>SMS sent</source>
        <translation>短信已发送</translation>
    </message>
    <message>
        <source>SMS delivered</source>
        <translation>短信已送达</translation>
    </message>
    <message>
        <source>SMS not delivered</source>
        <translation>短信未送达</translation>
    </message>
    <message>
        <source>Sending given up</source>
        <translation>已放弃发送</translation>
    </message>
    <message>
        <source>Insurer answered</source>
        <translation>保险公司答复</translation>
    </message>
    <message>
        <source>Insurer declined the claim</source>
        <translation>保险公司拒赔</translation>
    </message>
    <message>
        <source>Video evidence attached</source>
        <translation>已附视频证据</translation>
    </message>
    <message>
        <source>Claim taken by the insurer</source>
        <translation>保险公司已领取理赔</translation>
    </message>
    <message>
        <source>Loss assessed</source>
        <translation>已定损</translation>
    </message>
    <message>
        <source>Payout recorded</source>
        <translation>已登记赔付</translation>
    </message>
    <message>
        <source>Non-payment complaint filed</source>
        <translation>已受理不赔付投诉</translation>
    </message>
    <message>
        <source>Insurer called about the complaint</source>
        <translation>已就投诉致电保险公司</translation>
    </message>
    <message>
        <source>Insurer sanctioned, plate watch-listed</source>
        <translation>已惩戒保险公司，号牌已布控</translation>
    </message>
    <message>
        <source>Complaint closed: paid</source>
        <translation>投诉办结：已赔付</translation>
    </message>
    <message>
        <source>Watch-listed plate seen at a checkpoint</source>
        <translation>布控号牌经过卡口</translation>
    </message>
    <message>
        <source>Citizen helper linked</source>
        <translation>已关联热心群众</translation>
    </message>
    <message>
        <source>Letter reprinted</source>
        <translation>认定书已补打</translation>
    </message>
    <message>
        <source>Case file exported</source>
        <translation>案卷已导出</translation>
    </message>
    <message>
        <source>Personal data shown</source>
        <translation>已查看个人信息</translation>
    </message>
    <message>
        <source>Camera snapshot</source>
        <translation>摄像机截图</translation>
    </message>
    <message>
        <source>Camera clip</source>
        <translation>摄像机录像片段</translation>
    </message>
    <message>
        <source>notified</source>
        <translation>已推送</translation>
    </message>
    <message>
        <source>reported</source>
        <translation>已报案</translation>
    </message>
    <message>
        <source>surveying</source>
        <translation>查勘中</translation>
    </message>
    <message>
        <source>assessed</source>
        <translation>已定损</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>已赔付</translation>
    </message>
    <message>
        <source>Case history</source>
        <translation>案件档案</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>号牌号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <source>Driving licence number</source>
        <translation>驾驶证号</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Seat</source>
        <translation>席位</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Reason and details</source>
        <translation>原因及详情</translation>
    </message>
    <message>
        <source>Rang</source>
        <translation>振铃时间</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>接听时间</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <source>Answered by</source>
        <translation>接听人</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Size (bytes)</source>
        <translation>大小（字节）</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Letter number</source>
        <translation>认定书编号</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Verification code</source>
        <translation>验证码</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>出具时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Insurer</source>
        <translation>承保公司</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Report no.</source>
        <translation>报案号</translation>
    </message>
    <message>
        <source>Assessed (yuan)</source>
        <translation>定损金额（元）</translation>
    </message>
    <message>
        <source>Paid (yuan)</source>
        <translation>赔付金额（元）</translation>
    </message>
    <message>
        <source>Paid at</source>
        <translation>赔付时间</translation>
    </message>
    <message>
        <source>Filed</source>
        <translation>投诉时间</translation>
    </message>
    <message>
        <source>Against</source>
        <translation>被投诉方</translation>
    </message>
    <message>
        <source>Complainant</source>
        <translation>投诉人</translation>
    </message>
    <message>
        <source>Pay by</source>
        <translation>赔付期限</translation>
    </message>
    <message>
        <source>Fine (yuan)</source>
        <translation>罚款（元）</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Ctrl+P reprint the letter · Ctrl+E export the case file · Ctrl+U show a party&apos;s personal data · F5 reload · Esc close</source>
        <translation>Ctrl+P 补打认定书 · Ctrl+E 导出案卷 · Ctrl+U 查看当事人个人信息 · F5 刷新 · Esc 关闭</translation>
    </message>
    <message>
        <source>Reprint the letter (Ctrl+P)</source>
        <translation>补打认定书（Ctrl+P）</translation>
    </message>
    <message>
        <source>Export the case file (Ctrl+E)</source>
        <translation>导出案卷（Ctrl+E）</translation>
    </message>
    <message>
        <source>Show personal data (Ctrl+U)</source>
        <translation>查看个人信息（Ctrl+U）</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭（Esc）</translation>
    </message>
    <message>
        <source>Parties (as your position sees them)</source>
        <translation>当事人（按本岗位权限显示）</translation>
    </message>
    <message>
        <source>Case history · {case_no}</source>
        <translation>案件档案 · {case_no}</translation>
    </message>
    <message>
        <source>Case {case_no} · {state}</source>
        <translation>案件 {case_no} · {state}</translation>
    </message>
    <message>
        <source>Occurred {when} · {place} · {district}</source>
        <translation>发生于 {when} · {place} · {district}</translation>
    </message>
    <message>
        <source>in force</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>superseded {when}</source>
        <translation>已于 {when} 被替代</translation>
    </message>
    <message>
        <source>{doc_no}, version {version}</source>
        <translation>{doc_no}，第 {version} 版</translation>
    </message>
    <message>
        <source>party {letter}: {reason}</source>
        <translation>{letter}方：{reason}</translation>
    </message>
    <message>
        <source>{size} bytes, SHA-256 {sha256}</source>
        <translation>{size} 字节，SHA-256 {sha256}</translation>
    </message>
    <message>
        <source>Events ({count})</source>
        <translation>流转记录（{count}）</translation>
    </message>
    <message>
        <source>Calls ({count})</source>
        <translation>来电（{count}）</translation>
    </message>
    <message>
        <source>Photos and footage ({count})</source>
        <translation>照片与录像（{count}）</translation>
    </message>
    <message>
        <source>Letters ({count})</source>
        <translation>认定书（{count}）</translation>
    </message>
    <message>
        <source>Claims and payouts ({count})</source>
        <translation>理赔与赔付（{count}）</translation>
    </message>
    <message>
        <source>Complaints ({count})</source>
        <translation>投诉（{count}）</translation>
    </message>
    <message>
        <source>Audit ({count})</source>
        <translation>审计日志（{count}）</translation>
    </message>
    <message>
        <source>Case {case_no} has no letter to reprint.</source>
        <translation>案件 {case_no} 没有可补打的认定书。</translation>
    </message>
    <message>
        <source>Reprint the letter</source>
        <translation>补打认定书</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Reprinting…</source>
        <translation>正在补打…</translation>
    </message>
    <message>
        <source>Letter {doc_no} (version {version}) written to {path}: the PDF as issued, {size} bytes.</source>
        <translation>认定书 {doc_no}（第 {version} 版）已写入 {path}：与出具时的 PDF 一致，{size} 字节。</translation>
    </message>
    <message>
        <source>Export the case file</source>
        <translation>导出案卷</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Case file of {case_no} written to {path} ({size} bytes).</source>
        <translation>案件 {case_no} 的案卷已写入 {path}（{size} 字节）。</translation>
    </message>
    <message>
        <source>The file could not be written: {detail}</source>
        <translation>文件无法写入：{detail}</translation>
    </message>
    <message>
        <source>Case {case_no} has no party on record.</source>
        <translation>案件 {case_no} 没有登记当事人。</translation>
    </message>
</context>
<context>
    <name>CaseQueueModel</name>
    <message>
        <source>Case no.</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Handled by</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>Plates</source>
        <translation>号牌</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Timer</source>
        <translation>计时</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n} 小时</translation>
    </message>
    <message>
        <source>{n} d</source>
        <translation>{n} 天</translation>
    </message>
    <message>
        <source>%1 due at %2</source>
        <translation>%1截止时间：%2</translation>
    </message>
</context>
<context>
    <name>CaseQueueView</name>
    <message>
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>Unclaimed for my position</source>
        <translation>本岗位待领取</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Show %1 (Alt+%2)</source>
        <translation>显示“%1” (Alt+%2)</translation>
    </message>
    <message>
        <source>Search case no., plate, place, name or phone (Ctrl+F)</source>
        <translation>搜索案件编号、号牌、地点、姓名或电话 (Ctrl+F)</translation>
    </message>
    <message>
        <source>Take next</source>
        <translation>领取下一件</translation>
    </message>
    <message>
        <source>Take the oldest case waiting on your position (F2)</source>
        <translation>领取本岗位等待最久的案件 (F2)</translation>
    </message>
    <message>
        <source>{n} cases</source>
        <translation>共 {n} 件</translation>
    </message>
</context>
<context>
    <name>CaseSearchModel</name>
    <message>
        <source>Case no.</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>Occurred</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Plates</source>
        <translation>号牌</translation>
    </message>
    <message>
        <source>Parties</source>
        <translation>当事人</translation>
    </message>
</context>
<context>
    <name>CaseSearchPane</name>
    <message>
        <source>Case no., letter no., verification code, plate, phone, ID number or name (Ctrl+F)</source>
        <translation>案件编号、认定书编号、验证码、号牌、电话、证件号码或姓名（Ctrl+F）</translation>
    </message>
    <message>
        <source>Any state</source>
        <translation>任意状态</translation>
    </message>
    <message>
        <source>Any district</source>
        <translation>任意辖区</translation>
    </message>
    <message>
        <source>Occurred from</source>
        <translation>发生时间从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Ctrl+F search · Down to the results · Enter the case&apos;s history · Esc back to the box</source>
        <translation>Ctrl+F 搜索 · ↓ 进入结果 · Enter 查看案件档案 · Esc 返回搜索框</translation>
    </message>
    <message>
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>No case matches.</source>
        <translation>没有符合条件的案件。</translation>
    </message>
    <message>
        <source>The newest {count} cases; narrow the search for older ones.</source>
        <translation>显示最新的 {count} 个案件；更早的案件请缩小搜索范围。</translation>
    </message>
    <message>
        <source>Found: {count}</source>
        <translation>找到：{count}</translation>
    </message>
    <message>
        <source>Type a case number, letter number, verification code, plate, phone, ID number or a party&apos;s name; several words narrow the search.</source>
        <translation>输入案件编号、认定书编号、验证码、号牌、电话、证件号码或当事人姓名；多个词可缩小范围。</translation>
    </message>
    <message>
        <source>Searching for: {parts}</source>
        <translation>搜索：{parts}</translation>
    </message>
    <message>
        <source>Not understood, ignored: {tokens}. A plate needs at least {plate} characters, a case number {case_no}, a name {name}; phone and ID numbers are matched whole.</source>
        <translation>无法识别，已忽略：{tokens}。号牌至少 {plate} 个字符，案件编号至少 {case_no} 个，姓名至少 {name} 个；电话和证件号码须完整输入。</translation>
    </message>
    <message>
        <source>Nothing to search for yet.</source>
        <translation>尚未输入搜索内容。</translation>
    </message>
    <message>
        <source>case no. {value}</source>
        <translation>案件编号 {value}</translation>
    </message>
    <message>
        <source>letter no. {value}</source>
        <translation>认定书编号 {value}</translation>
    </message>
    <message>
        <source>verification code {value}</source>
        <translation>验证码 {value}</translation>
    </message>
    <message>
        <source>plate {value}</source>
        <translation>号牌 {value}</translation>
    </message>
    <message>
        <source>phone {value} (whole number)</source>
        <translation>电话 {value}（完整号码）</translation>
    </message>
    <message>
        <source>ID or licence no. {value} (whole number)</source>
        <translation>身份证或驾驶证号 {value}（完整号码）</translation>
    </message>
    <message>
        <source>name {value}</source>
        <translation>姓名 {value}</translation>
    </message>
    <message>
        <source>occurred from {date}</source>
        <translation>发生于 {date} 起</translation>
    </message>
    <message>
        <source>occurred up to {date}</source>
        <translation>发生于 {date} 止</translation>
    </message>
    <message>
        <source>state {state}</source>
        <translation>状态 {state}</translation>
    </message>
    <message>
        <source>district {district}</source>
        <translation>辖区 {district}</translation>
    </message>
</context>
<context>
    <name>ClaimQueueModel</name>
    <message>
        <source>Case no.</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事方</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Handled by</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Timer</source>
        <translation>计时</translation>
    </message>
    <message>
        <source>{days} d {hours} h</source>
        <translation>{days}天{hours}小时</translation>
    </message>
    <message>
        <source>paid after {time}</source>
        <translation>{time} 后赔付</translation>
    </message>
    <message>
        <source>From the accident to the payout: {time}</source>
        <translation>事故至赔付用时：{time}</translation>
    </message>
    <message>
        <source>Since the insurer was notified: {time} (take within {target} min)</source>
        <translation>推送至今：{time}（应在 {target} 分钟内领取）</translation>
    </message>
</context>
<context>
    <name>ClaimQueueView</name>
    <message>
        <source>Not taken</source>
        <translation>待领取</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>Unpaid</source>
        <translation>未赔付</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Show {what} (Alt+{number})</source>
        <translation>显示{what}（Alt+{number}）</translation>
    </message>
    <message>
        <source>Case no., plate or report no. (Ctrl+F)</source>
        <translation>案件编号、号牌或报案号（Ctrl+F）</translation>
    </message>
    <message>
        <source>{n} claims</source>
        <translation>{n} 件理赔</translation>
    </message>
</context>
<context>
    <name>ClaimStage</name>
    <message>
        <source>Notified</source>
        <translation>已推送</translation>
    </message>
    <message>
        <source>Report number</source>
        <translation>已报案</translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>查勘</translation>
    </message>
    <message>
        <source>Assessed</source>
        <translation>已定损</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已赔付</translation>
    </message>
</context>
<context>
    <name>ClaimsDesk</name>
    <message>
        <source>Claims</source>
        <translation>保险理赔</translation>
    </message>
    <message>
        <source>Determination letter</source>
        <translation>道路交通事故认定书</translation>
    </message>
    <message>
        <source>Show the letter (Ctrl+P)</source>
        <translation>查看认定书（Ctrl+P）</translation>
    </message>
    <message>
        <source>Video evidence</source>
        <translation>视频证据</translation>
    </message>
    <message>
        <source>Letter and photos</source>
        <translation>认定书与照片</translation>
    </message>
    <message>
        <source>This account belongs to no insurer; it has no claims.</source>
        <translation>此账号不属于任何保险公司，没有理赔。</translation>
    </message>
    <message>
        <source>Letter {doc_no}, version {version}</source>
        <translation>认定书 {doc_no}（第 {version} 版）</translation>
    </message>
    <message>
        <source>No determination letter: the parties agreed, or it is not issued yet.</source>
        <translation>无认定书：当事人已自行协商，或认定书尚未出具。</translation>
    </message>
    <message>
        <source>snapshot</source>
        <translation>截图</translation>
    </message>
    <message>
        <source>clip</source>
        <translation>视频片段</translation>
    </message>
    <message>
        <source>No footage kept for this case.</source>
        <translation>本案没有调取视频证据。</translation>
    </message>
    <message>
        <source>Taking the claim…</source>
        <translation>正在领取理赔…</translation>
    </message>
    <message>
        <source>You took the claim on case {case_no}.</source>
        <translation>已领取案件 {case_no} 的理赔。</translation>
    </message>
    <message>
        <source>Saving the assessment…</source>
        <translation>正在保存定损…</translation>
    </message>
    <message>
        <source>Assessment of {amount} yuan recorded on case {case_no}; Ctrl+Shift+P records the payout.</source>
        <translation>案件 {case_no} 已登记定损 {amount} 元；按 Ctrl+Shift+P 登记赔付。</translation>
    </message>
    <message>
        <source>Recording the payout…</source>
        <translation>正在登记赔付…</translation>
    </message>
    <message>
        <source>Payout of {amount} yuan recorded; every claim on case {case_no} is paid and the case is settled.</source>
        <translation>已登记赔付 {amount} 元；案件 {case_no} 的全部理赔均已赔付，本案赔付完结。</translation>
    </message>
    <message>
        <source>Payout of {amount} yuan recorded; case {case_no} stays open until the other claims are paid.</source>
        <translation>已登记赔付 {amount} 元；其他理赔赔付前，案件 {case_no} 保持理赔中。</translation>
    </message>
</context>
<context>
    <name>ClaimsPanel</name>
    <message>
        <source>Claims</source>
        <translation>保险理赔</translation>
    </message>
</context>
<context>
    <name>ComplaintForm</name>
    <message>
        <source>Non-payment complaint about case {case_no}</source>
        <translation>案件{case_no}的不赔付投诉</translation>
    </message>
    <message>
        <source>Party {letter} {plate} · insured by {insurer}</source>
        <translation>当事人{letter} {plate} · 承保公司：{insurer}</translation>
    </message>
    <message>
        <source>Party {letter} {name}</source>
        <translation>当事人{letter} {name}</translation>
    </message>
    <message>
        <source>yuan, e.g. 3500</source>
        <translation>单位元，例如 3500</translation>
    </message>
    <message>
        <source>What the complainant says: since when the insurer has not paid, and why.</source>
        <translation>投诉人所述：保险公司自何时起未赔付，原因是什么。</translation>
    </message>
    <message>
        <source>File (Ctrl+Enter)</source>
        <translation>登记（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Insurer that did not pay</source>
        <translation>未赔付的保险公司</translation>
    </message>
    <message>
        <source>Complainant</source>
        <translation>投诉人</translation>
    </message>
    <message>
        <source>Amount claimed</source>
        <translation>索赔金额</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>投诉事由</translation>
    </message>
    <message>
        <source>No party of this case has an insurer on record; a complaint names the insurer that did not pay.</source>
        <translation>本案当事人均无承保公司记录；投诉须指明未赔付的保险公司。</translation>
    </message>
    <message>
        <source>Choose the insurer that did not pay.</source>
        <translation>请选择未赔付的保险公司。</translation>
    </message>
    <message>
        <source>The amount claimed is not a number: enter yuan, e.g. 3500 or 3500.50.</source>
        <translation>索赔金额不是数字：请以元为单位填写，例如 3500 或 3500.50。</translation>
    </message>
    <message>
        <source>Filing…</source>
        <translation>正在登记…</translation>
    </message>
</context>
<context>
    <name>ComplaintsModel</name>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>号牌</translation>
    </message>
    <message>
        <source>Insurer</source>
        <translation>保险公司</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Call by (24 h)</source>
        <translation>致电期限（24小时）</translation>
    </message>
    <message>
        <source>Pay by (3 working days)</source>
        <translation>赔付期限（3个工作日）</translation>
    </message>
    <message>
        <source>Open, not called yet</source>
        <translation>已登记，尚未致电</translation>
    </message>
    <message>
        <source>Insurer called</source>
        <translation>已致电保险公司</translation>
    </message>
    <message>
        <source>Sanctioned</source>
        <translation>已惩戒</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已赔付</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <source>{days} d {clock}</source>
        <translation>{days}天 {clock}</translation>
    </message>
    <message>
        <source>{state} · fine {fine} yuan</source>
        <translation>{state} · 罚款{fine}元</translation>
    </message>
    <message>
        <source>called {time}</source>
        <translation>{time} 已致电</translation>
    </message>
    <message>
        <source>paid {time}</source>
        <translation>{time} 已赔付</translation>
    </message>
    <message>
        <source>Complaint {id} about case {case_no}, filed {filed}</source>
        <translation>投诉{id}，涉及案件{case_no}，登记于{filed}</translation>
    </message>
    <message>
        <source>Complainant: {name}</source>
        <translation>投诉人：{name}</translation>
    </message>
    <message>
        <source>Call the insurer by {time}</source>
        <translation>须于{time}前致电保险公司</translation>
    </message>
    <message>
        <source>Payment due by {time}</source>
        <translation>须于{time}前赔付</translation>
    </message>
    <message>
        <source>Paid {amount} yuan</source>
        <translation>已赔付{amount}元</translation>
    </message>
</context>
<context>
    <name>ComplaintsView</name>
    <message>
        <source>All complaints</source>
        <translation>全部投诉</translation>
    </message>
    <message>
        <source>Unpaid</source>
        <translation>未赔付</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <source>Case, plate, insurer or complainant</source>
        <translation>案件号、号牌、保险公司或投诉人</translation>
    </message>
    <message>
        <source>{count} shown</source>
        <translation>显示{count}件</translation>
    </message>
</context>
<context>
    <name>ConnectionStatus</name>
    <message>
        <source>Database: {name}</source>
        <translation>数据库：{name}</translation>
    </message>
    <message>
        <source>Change feed: starting</source>
        <translation>变更推送：正在启动</translation>
    </message>
    <message>
        <source>Change feed: live</source>
        <translation>变更推送：实时</translation>
    </message>
    <message>
        <source>Change feed: reconnecting…</source>
        <translation>变更推送：正在重连…</translation>
    </message>
    <message>
        <source>Change feed: lost, retrying</source>
        <translation>变更推送：已断开，正在重试</translation>
    </message>
    <message>
        <source>last change {age} ago</source>
        <translation>最近变更：{age}前</translation>
    </message>
    <message>
        <source>{n} s</source>
        <translation>{n} 秒</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n} 小时</translation>
    </message>
</context>
<context>
    <name>ConsoleApp</name>
    <message>
        <source>Opening the hall database…</source>
        <translation>正在打开大厅数据库…</translation>
    </message>
    <message>
        <source>A database password is needed to open the hall.</source>
        <translation>打开大厅数据库需要数据库密码。</translation>
    </message>
    <message>
        <source>Database password</source>
        <translation>数据库密码</translation>
    </message>
    <message>
        <source>Password for {url} (kept in the system keyring):</source>
        <translation>{url} 的密码（保存在系统密钥环中）：</translation>
    </message>
    <message>
        <source>Starting the demo hall&apos;s gateway simulator…</source>
        <translation>正在启动演示大厅的网关模拟器…</translation>
    </message>
    <message>
        <source>The hall database cannot be opened: {url} does not answer.
Check the network cable and the database server, then retry.

{detail}</source>
        <translation>无法打开大厅数据库：{url} 无响应。
请检查网线和数据库服务器，然后重试。

{detail}</translation>
    </message>
    <message>
        <source>The hall database cannot be opened.</source>
        <translation>无法打开大厅数据库。</translation>
    </message>
    <message>
        <source>Please sign in.</source>
        <translation>请登录。</translation>
    </message>
    <message>
        <source>Connecting with your company&apos;s database role…</source>
        <translation>正在以本公司的数据库角色连接…</translation>
    </message>
    <message>
        <source>Your company has no database role in this hall yet, so its claims seat cannot open. Ask the hall&apos;s administrator to run:
{command}</source>
        <translation>本公司在本大厅尚无数据库角色，理赔坐席无法打开。请大厅管理员运行：
{command}</translation>
    </message>
    <message>
        <source>The password of your company&apos;s database role {role} is not stored on this computer. Ask the hall&apos;s administrator to run on this computer:
{command}
or, with the password given when the role was made:
{store}</source>
        <translation>本机未保存本公司数据库角色 {role} 的密码。请大厅管理员在本机运行：
{command}
或者使用创建该角色时给出的密码运行：
{store}</translation>
    </message>
    <message>
        <source>Your company&apos;s database role cannot connect to the hall.
{detail}</source>
        <translation>本公司的数据库角色无法连接大厅数据库。
{detail}</translation>
    </message>
</context>
<context>
    <name>DeadLettersDialog</name>
    <message>
        <source>SMS</source>
        <translation>短信</translation>
    </message>
    <message>
        <source>Insurer notification</source>
        <translation>保险公司推送</translation>
    </message>
    <message>
        <source>Review result</source>
        <translation>审核结果</translation>
    </message>
    <message>
        <source>Checkpoint watch list</source>
        <translation>卡口布控名单</translation>
    </message>
    <message>
        <source>Credit notice</source>
        <translation>信用通报</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>接收方</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最后错误</translation>
    </message>
    <message>
        <source>Queued at</source>
        <translation>入队时间</translation>
    </message>
    <message>
        <source>Undelivered messages</source>
        <translation>未送达消息</translation>
    </message>
    <message>
        <source>No undelivered messages. Everything the hall sent was delivered or is still being tried.</source>
        <translation>没有未送达的消息。中心发出的消息均已送达或仍在重试中。</translation>
    </message>
    <message>
        <source>R or Enter: retry the selected messages · F5: reload</source>
        <translation>R 或回车：重发所选消息 · F5：刷新</translation>
    </message>
    <message>
        <source>&amp;Retry selected</source>
        <translation>重发所选(&amp;R)</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Retry selected</source>
        <translation>重发所选</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>The newest {count} undelivered messages are shown.</source>
        <translation>仅显示最新的 {count} 条未送达消息。</translation>
    </message>
    <message>
        <source>{count} undelivered messages.</source>
        <translation>共 {count} 条未送达消息。</translation>
    </message>
    <message>
        <source>Requeueing…</source>
        <translation>正在重新排队…</translation>
    </message>
    <message>
        <source>Requeued: {count}. The outbox sends them again now.</source>
        <translation>已重新排队 {count} 条，发件队列正在重新发送。</translation>
    </message>
    <message>
        <source>Already back in the queue (retried at another seat): {count}.</source>
        <translation>另有 {count} 条已在其他席位重发，无需再次排队。</translation>
    </message>
</context>
<context>
    <name>DeterminationDesk</name>
    <message>
        <source>Place and nearest cameras</source>
        <translation>事故地点与附近卡口</translation>
    </message>
    <message>
        <source>Video evidence</source>
        <translation>视频证据</translation>
    </message>
    <message>
        <source>snapshot</source>
        <translation>截图</translation>
    </message>
    <message>
        <source>clip</source>
        <translation>视频片段</translation>
    </message>
    <message>
        <source>No footage kept for this case yet.</source>
        <translation>本案尚未调取视频证据。</translation>
    </message>
    <message>
        <source>Issuing the letter…</source>
        <translation>正在出具认定书…</translation>
    </message>
    <message>
        <source>Determination letter</source>
        <translation>道路交通事故认定书</translation>
    </message>
    <message>
        <source>Objection to the determination</source>
        <translation>对认定提出异议</translation>
    </message>
    <message>
        <source>Which party objects, and to what. Objections are accepted until the end of the third day after the letter.</source>
        <translation>哪一方当事人、对什么内容有异议。异议须在认定书送达之日起三日内提出。</translation>
    </message>
    <message>
        <source>Objection recorded; the case is disputed.</source>
        <translation>异议已登记，案件转为“有异议”。</translation>
    </message>
    <message>
        <source>Mediation result</source>
        <translation>调解结果</translation>
    </message>
    <message>
        <source>The result the parties agreed to. It is added to the letter as a new version with the same number; the old version is kept.</source>
        <translation>双方当事人达成的调解结果。将以同一文书编号生成认定书新版本，旧版本保留。</translation>
    </message>
    <message>
        <source>Mediation recorded: letter {doc_no} reissued, parties and insurers notified.</source>
        <translation>调解已登记：认定书 {doc_no} 已重新出具，已通知当事人和保险公司。</translation>
    </message>
    <message>
        <source>Reissuing the letter…</source>
        <translation>正在重新出具认定书…</translation>
    </message>
</context>
<context>
    <name>DeterminationPanel</name>
    <message>
        <source>No case open</source>
        <translation>未打开案件</translation>
    </message>
    <message>
        <source>Situation: Chinese, pinyin initials (zzqcwb) or code</source>
        <translation>情形：中文、拼音首字母（zzqcwb）或代码</translation>
    </message>
    <message>
        <source>Collision parts, e.g. 甲车前部、乙车尾部</source>
        <translation>碰撞部位，如 甲车前部、乙车尾部</translation>
    </message>
    <message>
        <source>Liability</source>
        <translation>责任</translation>
    </message>
    <message>
        <source>Reason for departing from the proposal</source>
        <translation>调整建议责任的理由</translation>
    </message>
    <message>
        <source>Confirm and issue the letter (Ctrl+Enter)</source>
        <translation>确认并出具认定书（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Show the letter (Ctrl+P)</source>
        <translation>查看认定书（Ctrl+P）</translation>
    </message>
    <message>
        <source>Objection… (Ctrl+Shift+O)</source>
        <translation>登记异议…（Ctrl+Shift+O）</translation>
    </message>
    <message>
        <source>Mediation result… (Ctrl+Shift+M)</source>
        <translation>调解结果…（Ctrl+Shift+M）</translation>
    </message>
    <message>
        <source>Who did it</source>
        <translation>过错方</translation>
    </message>
    <message>
        <source>Statute</source>
        <translation>法条</translation>
    </message>
    <message>
        <source>Accident form</source>
        <translation>事故形态</translation>
    </message>
    <message>
        <source>Collision parts</source>
        <translation>碰撞部位</translation>
    </message>
    <message>
        <source>Facts and liability</source>
        <translation>事故事实及责任</translation>
    </message>
    <message>
        <source>Case {case_no} · {state}</source>
        <translation>案件 {case_no} · {state}</translation>
    </message>
    <message>
        <source>Another officer holds this task.</source>
        <translation>该任务由其他民警办理中。</translation>
    </message>
    <message>
        <source>Take the task first (F2 or Claim).</source>
        <translation>请先领取任务（F2 或 领取）。</translation>
    </message>
    <message>
        <source>Party {letter}</source>
        <translation>当事人 {letter}</translation>
    </message>
    <message>
        <source>At fault: {at_fault}; other party: {other}</source>
        <translation>过错方：{at_fault}；另一方：{other}</translation>
    </message>
    <message>
        <source>Choose the situation and who did it.</source>
        <translation>请选择情形和过错方。</translation>
    </message>
    <message>
        <source>The grades differ from the proposal: give the reason.</source>
        <translation>责任与建议不同：请填写理由。</translation>
    </message>
    <message>
        <source>Valid combination; ready to confirm.</source>
        <translation>责任组合有效，可以确认。</translation>
    </message>
    <message>
        <source>Letter {doc_no} issued; the parties and insurers are notified.</source>
        <translation>认定书 {doc_no} 已出具，已通知当事人和保险公司。</translation>
    </message>
    <message>
        <source>Only a case with a letter can be objected to.</source>
        <translation>只有已出具认定书的案件才能提出异议。</translation>
    </message>
    <message>
        <source>Mediation follows an objection; this case has none.</source>
        <translation>调解须在提出异议之后；本案没有异议。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>open cases</source>
        <translation>新建案件</translation>
    </message>
    <message>
        <source>edit cases</source>
        <translation>修改案件</translation>
    </message>
    <message>
        <source>claim cases</source>
        <translation>领取案件</translation>
    </message>
    <message>
        <source>take over cases</source>
        <translation>接管案件</translation>
    </message>
    <message>
        <source>create users</source>
        <translation>创建用户</translation>
    </message>
    <message>
        <source>unlock accounts</source>
        <translation>解锁账号</translation>
    </message>
    <message>
        <source>send undelivered messages again</source>
        <translation>重新发送未送达的消息</translation>
    </message>
    <message>
        <source>file non-payment complaints</source>
        <translation>登记不赔付投诉</translation>
    </message>
    <message>
        <source>record the call to the insurer</source>
        <translation>登记与保险公司的联系</translation>
    </message>
    <message>
        <source>sanction insurers that do not pay</source>
        <translation>对不赔付的保险公司实施惩戒</translation>
    </message>
    <message>
        <source>record the insurer&apos;s payment</source>
        <translation>登记保险公司赔付</translation>
    </message>
    <message>
        <source>take insurance claims</source>
        <translation>认领理赔案件</translation>
    </message>
    <message>
        <source>record loss assessments</source>
        <translation>录入定损结果</translation>
    </message>
    <message>
        <source>record claim payouts</source>
        <translation>录入赔付</translation>
    </message>
    <message>
        <source>import the camera list</source>
        <translation>导入摄像机清单</translation>
    </message>
    <message>
        <source>export the camera list</source>
        <translation>导出摄像机清单</translation>
    </message>
    <message>
        <source>save camera wall layouts</source>
        <translation>保存视频墙布局</translation>
    </message>
    <message>
        <source>attach video evidence</source>
        <translation>附加视频证据</translation>
    </message>
    <message>
        <source>verify video evidence</source>
        <translation>核验视频证据</translation>
    </message>
    <message>
        <source>Claim {claim_id} does not exist.</source>
        <translation>理赔 {claim_id} 不存在。</translation>
    </message>
    <message>
        <source>The claim on case {case_no} was changed by someone else since you opened it. Reload it and apply your change again; your input is kept.</source>
        <translation>案件 {case_no} 的理赔在您打开后已被他人修改。请重新加载后再次提交；您填写的内容已保留。</translation>
    </message>
    <message>
        <source>Take the claim on case {case_no} before you change it.</source>
        <translation>请先认领案件 {case_no} 的理赔，再进行修改。</translation>
    </message>
    <message>
        <source>The claim on case {case_no} is being handled by {holder}.</source>
        <translation>案件 {case_no} 的理赔正由{holder}处理。</translation>
    </message>
    <message>
        <source>Case {case_no} is not open for claims; its claims cannot change now.</source>
        <translation>案件 {case_no} 当前不在理赔中，理赔信息暂不能修改。</translation>
    </message>
    <message>
        <source>The amount {amount} must be more than 0 and at most {cap} yuan, with at most two decimal places.</source>
        <translation>金额 {amount} 须大于0且不超过{cap}元，最多两位小数。</translation>
    </message>
    <message>
        <source>The claim on case {case_no} has already moved past this stage; it cannot go back.</source>
        <translation>案件 {case_no} 的理赔已过此环节，不能回退。</translation>
    </message>
    <message>
        <source>The claim on case {case_no} is already paid.</source>
        <translation>案件 {case_no} 的理赔已赔付。</translation>
    </message>
    <message>
        <source>The claim on case {case_no} has not been assessed; assess it before paying.</source>
        <translation>案件 {case_no} 的理赔尚未定损，请先定损再赔付。</translation>
    </message>
    <message>
        <source>The payout time {paid_at} is before the accident.</source>
        <translation>赔付时间 {paid_at} 早于事故发生时间。</translation>
    </message>
    <message>
        <source>The payout time {paid_at} is in the future.</source>
        <translation>赔付时间 {paid_at} 晚于当前时间。</translation>
    </message>
    <message>
        <source>The payout time has no time zone.</source>
        <translation>赔付时间缺少时区。</translation>
    </message>
    <message>
        <source>Type the amount in yuan.</source>
        <translation>请输入金额（元）。</translation>
    </message>
    <message>
        <source>{amount} is not an amount of yuan; type digits such as 1800 or 1800.50.</source>
        <translation>“{amount}”不是有效的金额；请输入数字，如 1800 或 1800.50。</translation>
    </message>
    <message>
        <source>Name between 1 and {max} damaged parts.</source>
        <translation>请填写1至{max}个受损部位。</translation>
    </message>
    <message>
        <source>Name the repair shop in at most {max} characters.</source>
        <translation>请填写维修厂名称，最多{max}个字符。</translation>
    </message>
    <message>
        <source>Camera {camera_id} is not in the camera registry.</source>
        <translation>摄像机 {camera_id} 不在摄像机登记表中。</translation>
    </message>
    <message>
        <source>Plate {plate_no} is on no watch-list entry of the hall.</source>
        <translation>号牌 {plate_no} 不在本中心的任何布控记录中。</translation>
    </message>
    <message>
        <source>Database roles for insurers exist only in a PostgreSQL hall, not in the demo.</source>
        <translation>保险公司的数据库角色只存在于 PostgreSQL 大厅数据库中，演示模式没有。</translation>
    </message>
    <message>
        <source>Organisation {org_id} is not an insurer; only insurers&apos; seats get a database role.</source>
        <translation>机构 {org_id} 不是保险公司；只有保险公司的坐席才有数据库角色。</translation>
    </message>
    <message>
        <source>&quot;{month}&quot; is not a month; write it as YYYY-MM.</source>
        <translation>“{month}”不是有效月份，请按 YYYY-MM 格式填写。</translation>
    </message>
    <message>
        <source>Type the helper&apos;s name.</source>
        <translation>请填写热心群众姓名。</translation>
    </message>
    <message>
        <source>The helper&apos;s name has {length} characters; at most {limit} fit.</source>
        <translation>热心群众姓名有 {length} 个字符，最多 {limit} 个。</translation>
    </message>
    <message>
        <source>A helper with mobile number {phone} is registered already.</source>
        <translation>手机号码 {phone} 已登记为热心群众。</translation>
    </message>
    <message>
        <source>Helper {helper_id} no longer exists; reload the list.</source>
        <translation>热心群众记录 {helper_id} 已不存在，请刷新名单。</translation>
    </message>
    <message>
        <source>There is no case numbered &quot;{case_no}&quot;.</source>
        <translation>没有编号为“{case_no}”的案件。</translation>
    </message>
    <message>
        <source>{month} is not over yet; close it from the 1st of the next month.</source>
        <translation>{month} 尚未结束，请于次月 1 日起结算。</translation>
    </message>
    <message>
        <source>The end of the date range must come after its start.</source>
        <translation>日期范围的结束时间须晚于开始时间。</translation>
    </message>
    <message>
        <source>Say why the personal data must be shown: the reason is recorded.</source>
        <translation>请说明查看个人信息的理由：理由将被记录。</translation>
    </message>
    <message>
        <source>Party {party_id} does not exist.</source>
        <translation>当事人 {party_id} 不存在。</translation>
    </message>
    <message>
        <source>The amount claimed must be more than zero yuan; got {amount}.</source>
        <translation>索赔金额须大于零元；填写的是{amount}元。</translation>
    </message>
    <message>
        <source>A complaint that is {from_state} cannot become {to_state}.</source>
        <translation>处于“{from_state}”状态的投诉不能变为“{to_state}”。</translation>
    </message>
    <message>
        <source>The fine range must be above zero with the minimum not above the maximum; got {fine_min}–{fine_max} yuan.</source>
        <translation>罚款范围须大于零且下限不高于上限；当前为{fine_min}–{fine_max}元。</translation>
    </message>
    <message>
        <source>The fine must be between {fine_min} and {fine_max} yuan; got {amount}.</source>
        <translation>罚款金额须在{fine_min}至{fine_max}元之间；填写的是{amount}元。</translation>
    </message>
    <message>
        <source>The amount paid must be more than zero yuan; got {amount}.</source>
        <translation>赔付金额须大于零元；填写的是{amount}元。</translation>
    </message>
    <message>
        <source>A claims seat must belong to an insurer to work on complaints.</source>
        <translation>理赔席位须隶属某保险公司才能处理投诉。</translation>
    </message>
    <message>
        <source>An insurer&apos;s staff may file complaints only against their own company.</source>
        <translation>保险公司人员只能对本公司提起投诉。</translation>
    </message>
    <message>
        <source>Enter the reason for the complaint.</source>
        <translation>请填写投诉原因。</translation>
    </message>
    <message>
        <source>The complaint reason is {length} characters; at most {limit} fit.</source>
        <translation>投诉原因有{length}个字符，最多{limit}个。</translation>
    </message>
    <message>
        <source>Enter a note of the call.</source>
        <translation>请填写通话记录。</translation>
    </message>
    <message>
        <source>The call note is {length} characters; at most {limit} fit.</source>
        <translation>通话记录有{length}个字符，最多{limit}个。</translation>
    </message>
    <message>
        <source>Case {case_no} has no party {letter}.</source>
        <translation>案件{case_no}没有当事人{letter}。</translation>
    </message>
    <message>
        <source>Party {letter} of case {case_no} is not insured by the named insurer.</source>
        <translation>案件{case_no}的当事人{letter}并非在所选保险公司投保。</translation>
    </message>
    <message>
        <source>Party {letter} of case {case_no} has no plate to put on the watch list.</source>
        <translation>案件{case_no}的当事人{letter}没有可布控的号牌。</translation>
    </message>
    <message>
        <source>Case {case_no} does not have exactly one other party; name the complainant.</source>
        <translation>案件{case_no}的其他当事人不止一名或没有，请指明投诉人。</translation>
    </message>
    <message>
        <source>Party {letter} of case {case_no} cannot be the complainant.</source>
        <translation>案件{case_no}的当事人{letter}不能作为投诉人。</translation>
    </message>
    <message>
        <source>Complaint {complaint_id} against this insurer about party {letter} of case {case_no} is still open.</source>
        <translation>针对该保险公司、关于案件{case_no}当事人{letter}的投诉{complaint_id}尚未办结。</translation>
    </message>
    <message>
        <source>Complaint {complaint_id} does not exist.</source>
        <translation>投诉{complaint_id}不存在。</translation>
    </message>
    <message>
        <source>Line {line}: the {field} field is empty.</source>
        <translation>第{line}行：{field} 字段为空。</translation>
    </message>
    <message>
        <source>Line {line}: camera id &apos;{id}&apos; must be 1 to 32 letters, digits, &apos;_&apos; or &apos;-&apos;.</source>
        <translation>第{line}行：摄像机编号“{id}”须为1至32位字母、数字、“_”或“-”。</translation>
    </message>
    <message>
        <source>Line {line}: the {field} field has {length} characters; at most {limit} fit.</source>
        <translation>第{line}行：{field} 字段有{length}个字符，最多{limit}个。</translation>
    </message>
    <message>
        <source>Line {line}: the {field} field &apos;{value}&apos; contains &apos;/&apos;, which separates the group levels.</source>
        <translation>第{line}行：{field} 字段“{value}”含有“/”，该符号用于分隔分组层级。</translation>
    </message>
    <message>
        <source>Line {line}: {field} &apos;{value}&apos; is not a number in decimal degrees.</source>
        <translation>第{line}行：{field}“{value}”不是以十进制度表示的数字。</translation>
    </message>
    <message>
        <source>Line {line}: latitude {lat}, longitude {lon} is not a place in China.</source>
        <translation>第{line}行：纬度{lat}、经度{lon}不在中国境内。</translation>
    </message>
    <message>
        <source>Line {line}: latitude {lat} and longitude {lon} look swapped.</source>
        <translation>第{line}行：纬度{lat}与经度{lon}似乎填反了。</translation>
    </message>
    <message>
        <source>Line {line}: the {field} {url} cannot be opened; use an rtsp://, rtsps://, http(s):// or file: URL.</source>
        <translation>第{line}行：{field} {url} 无法打开，请使用 rtsp://、rtsps://、http(s):// 或 file: 地址。</translation>
    </message>
    <message>
        <source>Line {line}: the {field} {url} has *** in place of its password; import an export made with credentials.</source>
        <translation>第{line}行：{field} {url} 的密码已被 *** 替代；请导入含凭据的导出文件。</translation>
    </message>
    <message>
        <source>Line {line}: column {column} appears twice in the header.</source>
        <translation>第{line}行：表头中的{column}列出现了两次。</translation>
    </message>
    <message>
        <source>Line {line}: the header has no {column} column; the columns are {columns}.</source>
        <translation>第{line}行：表头缺少{column}列；应有的列为 {columns}。</translation>
    </message>
    <message>
        <source>Line {line} has {found} fields but the header {expected}; is a comma in a name missing its quotes?</source>
        <translation>第{line}行有{found}个字段，而表头只有{expected}个；名称中的逗号是否缺少引号？</translation>
    </message>
    <message>
        <source>Line {line}: camera id {id} is already used on line {first_line}.</source>
        <translation>第{line}行：摄像机编号{id}已在第{first_line}行使用。</translation>
    </message>
    <message>
        <source>Line {line}: the file is not valid CSV ({detail}).</source>
        <translation>第{line}行：文件不是有效的 CSV（{detail}）。</translation>
    </message>
    <message>
        <source>The file holds no cameras.</source>
        <translation>文件中没有摄像机。</translation>
    </message>
    <message>
        <source>Camera {camera_id} does not exist.</source>
        <translation>摄像机{camera_id}不存在。</translation>
    </message>
    <message>
        <source>{lat}, {lon} is not a place on the map.</source>
        <translation>{lat}，{lon} 不是地图上的位置。</translation>
    </message>
    <message>
        <source>request rescue units</source>
        <translation>申请事故救援</translation>
    </message>
    <message>
        <source>dispatch rescue units</source>
        <translation>调派救援力量</translation>
    </message>
    <message>
        <source>see the rescue board</source>
        <translation>查看救援调度板</translation>
    </message>
    <message>
        <source>The arrival target must be 1 to 180 minutes, not {minutes}.</source>
        <translation>到场时限须为1至180分钟，而不是{minutes}分钟。</translation>
    </message>
    <message>
        <source>Give both latitude and longitude of the place, or neither.</source>
        <translation>地点的经度和纬度须同时填写，或都不填。</translation>
    </message>
    <message>
        <source>Rescue request {task_id} does not exist.</source>
        <translation>救援申请 {task_id} 不存在。</translation>
    </message>
    <message>
        <source>Rescue unit {unit_id} does not exist.</source>
        <translation>救援力量 {unit_id} 不存在。</translation>
    </message>
    <message>
        <source>Rescue request {task_id} no longer waits for a unit; another seat was first.</source>
        <translation>救援申请 {task_id} 已不再等待派车：其他席位已先行处理。</translation>
    </message>
    <message>
        <source>Type where the vehicle stands, e.g. the road and the kilometre post.</source>
        <translation>请填写车辆所在位置，例如道路名称和公里桩号。</translation>
    </message>
    <message>
        <source>The place is {length} characters; at most {limit} fit.</source>
        <translation>地点为{length}个字符，最多{limit}个字符。</translation>
    </message>
    <message>
        <source>Describe the vehicle that cannot move: plate, type and colour.</source>
        <translation>请描述无法移动的车辆：号牌、车型和颜色。</translation>
    </message>
    <message>
        <source>The vehicle description is {length} characters; at most {limit} fit.</source>
        <translation>车辆描述为{length}个字符，最多{limit}个字符。</translation>
    </message>
    <message>
        <source>The note is {length} characters; at most {limit} fit.</source>
        <translation>备注为{length}个字符，最多{limit}个字符。</translation>
    </message>
    <message>
        <source>Case {case_no} already has rescue request {task_id} open.</source>
        <translation>案件 {case_no} 已有进行中的救援申请 {task_id}。</translation>
    </message>
    <message>
        <source>Rescue request {task_id} has no position on the map; choose a unit on the board yourself.</source>
        <translation>救援申请 {task_id} 没有地图位置，请在调度板上手动选择救援力量。</translation>
    </message>
    <message>
        <source>No rescue unit with a known position is available for request {task_id}.</source>
        <translation>没有位置已知的空闲救援力量可派往救援申请 {task_id}。</translation>
    </message>
    <message>
        <source>Rescue unit {call_sign} is not available any more.</source>
        <translation>救援力量 {call_sign} 已不再空闲。</translation>
    </message>
    <message>
        <source>A unit is dispatched by assigning it to a rescue request.</source>
        <translation>救援力量须通过分派到救援申请来派遣。</translation>
    </message>
    <message>
        <source>Rescue unit {call_sign} is {current} and cannot become {requested}.</source>
        <translation>救援力量 {call_sign} 当前为“{current}”，不能变为“{requested}”。</translation>
    </message>
    <message>
        <source>Type why the rescue request is cancelled.</source>
        <translation>请填写取消救援申请的原因。</translation>
    </message>
    <message>
        <source>The reason is {length} characters; at most {limit} fit.</source>
        <translation>原因为{length}个字符，最多{limit}个字符。</translation>
    </message>
    <message>
        <source>Rescue request {task_id} cannot be cancelled: a unit has reached the scene already.</source>
        <translation>救援申请 {task_id} 不能取消：救援力量已到达现场。</translation>
    </message>
    <message>
        <source>Case {case_no} has no coordinates; set the place on the map first.</source>
        <translation>案件{case_no}没有坐标，请先在地图上标出事故地点。</translation>
    </message>
    <message>
        <source>Only the supervisor changes the layouts of seat {seat}.</source>
        <translation>只有值班长可以修改席位{seat}的布局。</translation>
    </message>
    <message>
        <source>A layout name is 1 to {limit} characters.</source>
        <translation>布局名称须为1至{limit}个字符。</translation>
    </message>
    <message>
        <source>The layout cannot be saved: it must be a JSON object of at most {limit} bytes.</source>
        <translation>无法保存该布局：布局须为不超过{limit}字节的 JSON 对象。</translation>
    </message>
    <message>
        <source>The footage ends ({end}) before it starts ({start}).</source>
        <translation>录像结束时间（{end}）早于开始时间（{start}）。</translation>
    </message>
    <message>
        <source>The footage ends at {end}, later than now; check this desk&apos;s clock.</source>
        <translation>录像结束于{end}，晚于当前时间；请检查本席位电脑的时钟。</translation>
    </message>
    <message>
        <source>The footage file is empty.</source>
        <translation>录像文件为空。</translation>
    </message>
    <message>
        <source>The footage is {size_mb} MB; at most {limit_mb} MB can be stored.</source>
        <translation>录像大小为{size_mb} MB，最多可保存{limit_mb} MB。</translation>
    </message>
    <message>
        <source>The snapshot is not a PNG or JPEG image.</source>
        <translation>截图不是 PNG 或 JPEG 图像。</translation>
    </message>
    <message>
        <source>{mime} is not a video type such as video/mp4.</source>
        <translation>{mime} 不是视频类型（如 video/mp4）。</translation>
    </message>
    <message>
        <source>Evidence {evidence_id} does not exist.</source>
        <translation>证据{evidence_id}不存在。</translation>
    </message>
    <message>
        <source>The plate number is empty.</source>
        <translation>号牌号码为空。</translation>
    </message>
    <message>
        <source>Plate {plate}: &apos;{found}&apos; is not a province abbreviation; a plate starts with one such as 京 or 粤 (embassy plates carry 使).</source>
        <translation>号牌{plate}：“{found}”不是省份简称；号牌应以省份简称开头，如京、粤（使馆号牌带“使”字）。</translation>
    </message>
    <message>
        <source>Plate {plate}: the issuing-authority letter (A–Z) must follow the province abbreviation.</source>
        <translation>号牌{plate}：省份简称后应为发牌机关代号（字母A–Z）。</translation>
    </message>
    <message>
        <source>Plate {plate} ends with &apos;{found}&apos;, which is not a plate ending; the endings are 警, 学, 挂, 试, 港, 澳 and 领.</source>
        <translation>号牌{plate}以“{found}”结尾，不是有效的号牌尾字；尾字只能是警、学、挂、试、港、澳、领。</translation>
    </message>
    <message>
        <source>Plate {plate}: character {position} &apos;{found}&apos; is not allowed; only digits and the letters A–Z except I and O may follow the issuing letter.</source>
        <translation>号牌{plate}：第{position}位“{found}”无效；发牌机关代号之后只能是数字和除I、O以外的字母。</translation>
    </message>
    <message>
        <source>Plate {plate} has {found} serial characters; {required} are required.</source>
        <translation>号牌{plate}的序号为{found}位，应为{required}位。</translation>
    </message>
    <message>
        <source>Plate {plate}: Hong Kong and Macau plates start with 粤Z, not {found}.</source>
        <translation>号牌{plate}：港澳入出境车号牌应以“粤Z”开头，而不是“{found}”。</translation>
    </message>
    <message>
        <source>Plate {plate}: the 6-character serial {serial} is not a new-energy plate (small: energy letter, a letter or digit, 4 digits; large: 5 digits then D or F).</source>
        <translation>号牌{plate}：6位序号{serial}不符合新能源号牌格式（小型：能源类型字母、1位字母或数字、4位数字；大型：5位数字后接D或F）。</translation>
    </message>
    <message>
        <source>Embassy plate {plate} must be 6 digits with 使 at the end or the start.</source>
        <translation>使馆号牌{plate}应为6位数字，“使”字在末尾或开头。</translation>
    </message>
    <message>
        <source>The ID number is empty.</source>
        <translation>身份证号码为空。</translation>
    </message>
    <message>
        <source>ID number {number} has {found} characters; {required} are required.</source>
        <translation>身份证号码 {number} 为{found}位，应为{required}位。</translation>
    </message>
    <message>
        <source>ID number: &apos;{found}&apos; is not allowed; an ID number is 17 digits followed by a digit or X.</source>
        <translation>身份证号码中的“{found}”无效；身份证号码为17位数字加1位数字或X。</translation>
    </message>
    <message>
        <source>ID number {number}: region code {found} does not start with a province code (e.g. 11 Beijing, 44 Guangdong).</source>
        <translation>身份证号码 {number}：地区码 {found} 的前两位不是省级行政区代码（如11北京、44广东）。</translation>
    </message>
    <message>
        <source>ID number {number}: birth date {found} is not a possible date.</source>
        <translation>身份证号码 {number}：出生日期 {found} 不是有效日期。</translation>
    </message>
    <message>
        <source>ID number {number} ends with &apos;{found}&apos;, but the check digit should be &apos;{expected}&apos;; a digit is mistyped.</source>
        <translation>身份证号码 {number} 末位为“{found}”，但校验码应为“{expected}”，有数字输错。</translation>
    </message>
    <message>
        <source>The mobile number is empty.</source>
        <translation>手机号码为空。</translation>
    </message>
    <message>
        <source>Mobile number {number} has a country code other than +86; only mainland mobile numbers are accepted.</source>
        <translation>手机号码 {number} 的国家代码不是+86；仅受理中国大陆手机号码。</translation>
    </message>
    <message>
        <source>Mobile number {number} contains &apos;{found}&apos;; only digits are allowed.</source>
        <translation>手机号码 {number} 含有“{found}”；只能填写数字。</translation>
    </message>
    <message>
        <source>Mobile number {number} has {found} digits; {required} are required.</source>
        <translation>手机号码 {number} 为{found}位，应为{required}位。</translation>
    </message>
    <message>
        <source>Mobile number {number} starts with {found}; mainland mobile numbers start with 13 to 19.</source>
        <translation>手机号码 {number} 以{found}开头；中国大陆手机号码以13至19开头。</translation>
    </message>
    <message>
        <source>Case {case_no} is {state}; the guidance SMS goes out only while the parties are to upload.</source>
        <translation>案件 {case_no} 当前为“{state}”；只有在当事人需要上传材料时才能发送引导短信。</translation>
    </message>
    <message>
        <source>Case {case_no} has no number to text; type the caller&apos;s mobile.</source>
        <translation>案件 {case_no} 没有可发送短信的号码；请输入来电人手机号。</translation>
    </message>
    <message>
        <source>{number} cannot receive an SMS; ask the caller for a mobile number.</source>
        <translation>{number} 无法接收短信；请询问来电人的手机号码。</translation>
    </message>
    <message>
        <source>{kind} photo present.</source>
        <translation>{kind}照片已上传。</translation>
    </message>
    <message>
        <source>The {kind} photo was refused ({reason}); ask the parties for it again.</source>
        <translation>{kind}照片被拒收（{reason}），请当事人重新上传。</translation>
    </message>
    <message>
        <source>The {kind} photo is missing.</source>
        <translation>缺少{kind}照片。</translation>
    </message>
    <message>
        <source>{count} extra photos; at most {limit} are kept.</source>
        <translation>附加照片 {count} 张，最多保留 {limit} 张。</translation>
    </message>
    <message>
        <source>Plates and markings are legible in the photos.</source>
        <translation>照片中号牌和标线清晰可辨。</translation>
    </message>
    <message>
        <source>The damage matches the parties&apos; account; no exclusion seen.</source>
        <translation>车损与当事人陈述相符，未见排除情形。</translation>
    </message>
    <message>
        <source>Other open cases have the same plates: {cases}.</source>
        <translation>其他未结案件含相同号牌：{cases}。</translation>
    </message>
    <message>
        <source>Case {case_no} cannot be approved: {failed} items failed and {open} are still open.</source>
        <translation>案件 {case_no} 不能审核通过：{failed} 项未通过，{open} 项尚未确认。</translation>
    </message>
    <message>
        <source>Choose at least one reason to return the case.</source>
        <translation>请至少选择一项退回原因。</translation>
    </message>
    <message>
        <source>The submission id must be 1 to 64 characters.</source>
        <translation>上传编号应为 1 至 64 个字符。</translation>
    </message>
    <message>
        <source>A submission time has no time zone.</source>
        <translation>上传时间缺少时区。</translation>
    </message>
    <message>
        <source>Parties must be lettered A to C once each, not {letters}.</source>
        <translation>当事人应以 A 至 C 各标注一次，而不是 {letters}。</translation>
    </message>
    <message>
        <source>Unknown photo kind {kind}.</source>
        <translation>未知的照片类型 {kind}。</translation>
    </message>
    <message>
        <source>Write the facts and the liability before confirming.</source>
        <translation>确认前请填写事故事实及责任。</translation>
    </message>
    <message>
        <source>Party {party} is not a party of this case.</source>
        <translation>{party} 不是本案当事人。</translation>
    </message>
    <message>
        <source>The grades differ from the situation&apos;s proposal; give the reason.</source>
        <translation>责任与情形建议不同，请填写理由。</translation>
    </message>
    <message>
        <source>{officer} belongs to no unit that issues determination letters.</source>
        <translation>{officer} 所属单位不能出具认定书。</translation>
    </message>
    <message>
        <source>Write what the party objects to.</source>
        <translation>请填写当事人的异议内容。</translation>
    </message>
    <message>
        <source>Case {case_no} has no determination letter to object to.</source>
        <translation>案件 {case_no} 尚无可提出异议的认定书。</translation>
    </message>
    <message>
        <source>The objection window of letter {doc_no} closed at {deadline}.</source>
        <translation>认定书 {doc_no} 的异议期已于 {deadline} 截止。</translation>
    </message>
    <message>
        <source>Write the mediation result.</source>
        <translation>请填写调解结果。</translation>
    </message>
    <message>
        <source>No letter has the verification code {verification_code}.</source>
        <translation>没有验证码为 {verification_code} 的认定书。</translation>
    </message>
    <message>
        <source>Letter {letter_id} does not exist.</source>
        <translation>认定书 {letter_id} 不存在。</translation>
    </message>
    <message>
        <source>Document {sha256}… is not stored in the hall; the push cannot carry it.</source>
        <translation>文书 {sha256}… 未存于大厅数据库，推送无法附带。</translation>
    </message>
    <message>
        <source>Case {case_no} has no party insured by this company.</source>
        <translation>案件 {case_no} 中没有在该保险公司投保的当事人。</translation>
    </message>
    <message>
        <source>The caller&apos;s number is empty.</source>
        <translation>来电号码为空。</translation>
    </message>
    <message>
        <source>{number} is not a mobile, landline (with area code) or service number.</source>
        <translation>{number} 不是手机、带区号的固定电话或服务号码。</translation>
    </message>
    <message>
        <source>The VIN is empty.</source>
        <translation>车辆识别代号为空。</translation>
    </message>
    <message>
        <source>VIN {vin} has {found} characters; {required} are required.</source>
        <translation>车辆识别代号 {vin} 为{found}位，应为{required}位。</translation>
    </message>
    <message>
        <source>VIN {vin} contains a character that is not allowed; only digits and the letters A–Z except I, O and Q.</source>
        <translation>车辆识别代号 {vin} 含有无效字符；只能是数字和除I、O、Q以外的字母。</translation>
    </message>
    <message>
        <source>VIN {vin} has &apos;{found}&apos; at position 9, but the check digit should be &apos;{expected}&apos;; a character is mistyped.</source>
        <translation>车辆识别代号 {vin} 第9位为“{found}”，但校验位应为“{expected}”，有字符输错。</translation>
    </message>
    <message>
        <source>Licence class &apos;{found}&apos; is not valid; give classes such as C1, B2 or C1E (one class for a vehicle).</source>
        <translation>准驾车型“{found}”无效；应填写C1、B2、C1E等准驾车型代号（车辆只对应一个车型）。</translation>
    </message>
    <message>
        <source>Vehicle range {min_vehicles}–{max_vehicles} is not allowed; fast handling covers 1 to 3 vehicles.</source>
        <translation>车辆数范围{min_vehicles}–{max_vehicles}无效；快处快赔只适用于1至3辆车。</translation>
    </message>
    <message>
        <source>The service weekdays must be a non-empty set of 0 (Monday) to 6 (Sunday).</source>
        <translation>服务日须为0（星期一）至6（星期日）中的一天或多天。</translation>
    </message>
    <message>
        <source>The list of served districts is empty; leave it out to serve the whole city.</source>
        <translation>服务辖区列表为空；如服务全市，请不要设置辖区列表。</translation>
    </message>
    <message>
        <source>Service hours are wall-clock times in the hall&apos;s zone; give them without a time zone.</source>
        <translation>服务时间按大厅所在时区的钟点填写，不要带时区。</translation>
    </message>
    <message>
        <source>Someone was injured or killed; fast handling covers property damage only.</source>
        <translation>事故造成人员伤亡；快处快赔只适用于仅有财产损失的事故。</translation>
    </message>
    <message>
        <source>The accident involves {found} vehicles; fast handling here takes at least {min_vehicles} and at most {max_vehicles}.</source>
        <translation>事故涉及{found}辆车；本地快处快赔受理的车辆数为最少{min_vehicles}辆、最多{max_vehicles}辆。</translation>
    </message>
    <message>
        <source>Party {party} is not in a motor vehicle; fast handling here covers motor vehicles only.</source>
        <translation>当事人{party}驾驶的不是机动车；本地快处快赔只适用于机动车。</translation>
    </message>
    <message>
        <source>Party {party}&apos;s vehicle cannot be driven.</source>
        <translation>当事人{party}的车辆不能正常行驶。</translation>
    </message>
    <message>
        <source>Party {party}&apos;s driving licence expired on {valid_until}, before the accident on {accident_date}.</source>
        <translation>当事人{party}的驾驶证已于{valid_until}过期，早于事故日期{accident_date}。</translation>
    </message>
    <message>
        <source>Party {party}&apos;s driving licence is suspended, revoked or otherwise not valid.</source>
        <translation>当事人{party}的驾驶证被暂扣、吊销或处于其他无效状态。</translation>
    </message>
    <message>
        <source>Party {party}&apos;s licence class {held} does not cover a vehicle needing class {required}.</source>
        <translation>当事人{party}的准驾车型为{held}，不能驾驶须{required}准驾车型的车辆。</translation>
    </message>
    <message>
        <source>Party {party}&apos;s vehicle inspection expired on {valid_until}, before the accident on {accident_date}.</source>
        <translation>当事人{party}的车辆检验有效期已于{valid_until}届满，早于事故日期{accident_date}。</translation>
    </message>
    <message>
        <source>Party {party}&apos;s vehicle registration is not in normal status.</source>
        <translation>当事人{party}的机动车登记状态不正常。</translation>
    </message>
    <message>
        <source>Party {party}&apos;s compulsory insurance runs {insured_from} to {insured_until} and does not cover the accident date {accident_date}.</source>
        <translation>当事人{party}的交强险保险期间为{insured_from}至{insured_until}，不含事故日期{accident_date}。</translation>
    </message>
    <message>
        <source>A driver is suspected of drinking or taking drugs.</source>
        <translation>有驾驶人涉嫌饮酒或服用毒品后驾驶。</translation>
    </message>
    <message>
        <source>A vehicle has no plates or is suspected of fake or altered plates.</source>
        <translation>有车辆未悬挂号牌或涉嫌使用伪造、变造号牌。</translation>
    </message>
    <message>
        <source>A vehicle carries dangerous goods.</source>
        <translation>有车辆载运危险物品。</translation>
    </message>
    <message>
        <source>A party has left the scene.</source>
        <translation>有当事人已逃离现场。</translation>
    </message>
    <message>
        <source>The crash is suspected to have been caused on purpose.</source>
        <translation>涉嫌故意制造交通事故。</translation>
    </message>
    <message>
        <source>District {district} is not served by online fast handling.</source>
        <translation>{district}不在网上快处快赔的服务辖区内。</translation>
    </message>
    <message>
        <source>{value} is not a liability code of the {system} code set.</source>
        <translation>{value}不是{system}责任代码集中的代码。</translation>
    </message>
    <message>
        <source>No party has a liability grade.</source>
        <translation>尚未为任何当事人划分责任。</translation>
    </message>
    <message>
        <source>Grades {grades}: an agreement between the parties may only use full, equal or none; main and minor need an officer&apos;s determination.</source>
        <translation>责任划分“{grades}”：当事人自行协商只能约定全部、同等或无责任；主要、次要责任须由民警认定。</translation>
    </message>
    <message>
        <source>Grade {grades}: a single-vehicle case must be graded full.</source>
        <translation>责任划分“{grades}”：单车事故应由当事人承担全部责任。</translation>
    </message>
    <message>
        <source>Grades {grades} are not allowed for two parties; allowed pairs are full/none, main/minor, equal/equal and none/none.</source>
        <translation>责任划分“{grades}”不适用于双方事故；只能为全部/无、主要/次要、同等/同等或无/无。</translation>
    </message>
    <message>
        <source>Grades {grades}: a party with full liability leaves every other party with none.</source>
        <translation>责任划分“{grades}”：一方承担全部责任时，其他各方均应为无责任。</translation>
    </message>
    <message>
        <source>Grades {grades}: main liability needs at least one party with minor liability.</source>
        <translation>责任划分“{grades}”：有一方承担主要责任时，至少应有一方承担次要责任。</translation>
    </message>
    <message>
        <source>Grades {grades}: minor liability needs a party with main or equal liability.</source>
        <translation>责任划分“{grades}”：有一方承担次要责任时，须有一方承担主要或同等责任。</translation>
    </message>
    <message>
        <source>Grades {grades}: equal liability needs at least two parties graded equal.</source>
        <translation>责任划分“{grades}”：同等责任须至少有两方当事人。</translation>
    </message>
    <message>
        <source>The compensation share table has no entry for {missing}.</source>
        <translation>赔偿比例表缺少以下责任的比例：{missing}。</translation>
    </message>
    <message>
        <source>Compensation shares must be 0 to 100 percent; got {shares}.</source>
        <translation>赔偿比例须在0至100%之间；当前为：{shares}。</translation>
    </message>
    <message>
        <source>Party {party}&apos;s loss is {loss_yuan} yuan; a loss cannot be negative.</source>
        <translation>当事人{party}的损失金额为{loss_yuan}元；损失金额不能为负数。</translation>
    </message>
    <message>
        <source>Knock-for-knock needs at least {required} vehicles; the case has {found}.</source>
        <translation>互碰自赔至少需要{required}辆车；本案为{found}辆。</translation>
    </message>
    <message>
        <source>Party {party}&apos;s vehicle has no compulsory insurance, so knock-for-knock does not apply.</source>
        <translation>当事人{party}的车辆未投保交强险，不适用互碰自赔。</translation>
    </message>
    <message>
        <source>Party {party}&apos;s side has injury or third-party property damage; knock-for-knock covers vehicle damage only.</source>
        <translation>当事人{party}一方有人员受伤或第三者财产损失；互碰自赔只适用于车辆损失。</translation>
    </message>
    <message>
        <source>Party {party}&apos;s loss has not been assessed yet.</source>
        <translation>当事人{party}的车辆损失尚未定损。</translation>
    </message>
    <message>
        <source>Party {party}&apos;s loss of {loss_yuan} yuan is over the {limit} yuan knock-for-knock limit.</source>
        <translation>当事人{party}的损失{loss_yuan}元，超过互碰自赔限额{limit}元。</translation>
    </message>
    <message>
        <source>Party {party} is graded {grade}; knock-for-knock needs every party liable (equal, or main and minor).</source>
        <translation>当事人{party}的责任为{grade}；互碰自赔要求各方均有责任（同等责任，或主要、次要责任）。</translation>
    </message>
    <message>
        <source>Party {party} is graded {grade}; knock-for-knock needs every party liable (equal, or main and minor), none fully.</source>
        <translation>当事人{party}的责任为{grade}；互碰自赔要求各方均有责任（同等责任，或主要、次要责任），不能由一方承担全部责任。</translation>
    </message>
    <message>
        <source>Party {party} has not been asked to consent to knock-for-knock yet.</source>
        <translation>尚未征询当事人{party}是否同意互碰自赔。</translation>
    </message>
    <message>
        <source>Party {party} does not consent to knock-for-knock.</source>
        <translation>当事人{party}不同意互碰自赔。</translation>
    </message>
    <message>
        <source>A case cannot move from {source} to {target}.</source>
        <translation>案件不能从“{source}”转为“{target}”。</translation>
    </message>
    <message>
        <source>The {position} position may not move a case from {source} to {target}.</source>
        <translation>{position}岗位无权将案件从“{source}”转为“{target}”。</translation>
    </message>
    <message>
        <source>Moving a case to {target} needs a reason.</source>
        <translation>将案件转为“{target}”须填写原因。</translation>
    </message>
    <message>
        <source>The amber threshold must be a fraction above 0 and at most 1; got {amber_fraction}.</source>
        <translation>黄灯预警阈值须大于0且不大于1；当前为{amber_fraction}。</translation>
    </message>
    <message>
        <source>A timer limit must be longer than zero.</source>
        <translation>计时时限必须大于零。</translation>
    </message>
    <message>
        <source>Objection days and complaint payment working days must be at least 1.</source>
        <translation>异议期天数和投诉限期赔付工作日数均须至少为1。</translation>
    </message>
    <message>
        <source>Timer {timer} ends on a date, not after a fixed duration.</source>
        <translation>计时项{timer}按日期截止，不按固定时长计算。</translation>
    </message>
    <message>
        <source>Cannot count {days} working days; the count must be zero or more.</source>
        <translation>无法计算{days}个工作日；天数不能为负数。</translation>
    </message>
    <message>
        <source>The helper reward rule is invalid: cases per block must be at least 1 and amounts zero or more.</source>
        <translation>协助人奖励规则无效：每档案件数至少为1，金额不能为负数。</translation>
    </message>
    <message>
        <source>A helper cannot have {cases} determined cases in a month.</source>
        <translation>协助人当月已认定案件数不能为{cases}。</translation>
    </message>
    <message>
        <source>Article number {number} is outside 1 to 999.</source>
        <translation>条款序号{number}超出1至999的范围。</translation>
    </message>
    <message>
        <source>The standard situation file {path} is invalid: {detail}</source>
        <translation>标准情形文件 {path} 无效：{detail}</translation>
    </message>
    <message>
        <source>No standard situation has the code {situation_code}.</source>
        <translation>没有代码为{situation_code}的标准情形。</translation>
    </message>
    <message>
        <source>A case needs at least one party; got {party_count}.</source>
        <translation>案件至少应有一方当事人；当前为{party_count}。</translation>
    </message>
    <message>
        <source>Party index {at_fault_index} is outside the {party_count} parties of the case.</source>
        <translation>当事人序号{at_fault_index}超出本案{party_count}方当事人的范围。</translation>
    </message>
    <message>
        <source>Case record {case_id} no longer exists; refresh the queue.</source>
        <translation>案件记录{case_id}已不存在；请刷新案件列表。</translation>
    </message>
    <message>
        <source>Case {case_no} was changed by someone else since you opened it. Reload it and apply your change again; your input is kept.</source>
        <translation>案件 {case_no} 在您打开后已被他人修改。请重新加载后再次修改；您填写的内容已保留。</translation>
    </message>
    <message>
        <source>Case {case_no} is being handled by {holder}.</source>
        <translation>案件 {case_no} 正由{holder}处理。</translation>
    </message>
    <message>
        <source>Case {case_no} is not claimed; claim it first.</source>
        <translation>案件 {case_no} 尚未领取；请先领取。</translation>
    </message>
    <message>
        <source>Case {case_no} is waiting on the {owner} position, not on yours.</source>
        <translation>案件 {case_no} 正等待{owner}岗位处理，不属于您的岗位。</translation>
    </message>
    <message>
        <source>Taking over a case needs a reason.</source>
        <translation>接管案件须填写原因。</translation>
    </message>
    <message>
        <source>A fast-handling case has at most 3 parties, not {count}.</source>
        <translation>快处快赔案件最多3方当事人，当前为{count}方。</translation>
    </message>
    <message>
        <source>Unknown case source {source}.</source>
        <translation>未知的案件来源：{source}。</translation>
    </message>
    <message>
        <source>The place of the accident is missing.</source>
        <translation>缺少事故地点。</translation>
    </message>
    <message>
        <source>The accident time has no time zone.</source>
        <translation>事故时间缺少时区。</translation>
    </message>
    <message>
        <source>The answer to {field} must be yes, no or not asked.</source>
        <translation>{field} 的回答只能是“是”“否”或“未询问”。</translation>
    </message>
    <message>
        <source>Vehicle count {count} is not between 1 and 9.</source>
        <translation>车辆数{count}不在1至9之间。</translation>
    </message>
    <message>
        <source>Give both latitude and longitude, or neither.</source>
        <translation>经度和纬度须同时填写或同时不填。</translation>
    </message>
    <message>
        <source>Coordinates {lat}, {lon} are outside the valid range.</source>
        <translation>坐标（{lat}，{lon}）超出有效范围。</translation>
    </message>
    <message>
        <source>These fields cannot be edited here: {fields}.</source>
        <translation>以下字段不能在此修改：{fields}。</translation>
    </message>
    <message>
        <source>{form} is not an accident form code.</source>
        <translation>{form}不是有效的事故形态代码。</translation>
    </message>
    <message>
        <source>The case is closed and cannot be edited.</source>
        <translation>案件已办结，不能修改。</translation>
    </message>
    <message>
        <source>Party {letter} has no name.</source>
        <translation>当事人{letter}未填写姓名。</translation>
    </message>
    <message>
        <source>The agreement must grade exactly parties {expected}; it grades {got}.</source>
        <translation>协议书须为当事人{expected}划分责任，当前为{got}。</translation>
    </message>
    <message>
        <source>The {position} position may not {action}.</source>
        <translation>{position}岗位无权{action}。</translation>
    </message>
    <message>
        <source>The user does not exist.</source>
        <translation>该用户不存在。</translation>
    </message>
    <message>
        <source>User name {username} must be 2 to 64 characters: letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos;, starting with a letter or digit.</source>
        <translation>用户名 {username} 须为2至64个字符，只能包含字母、数字、“_”“.”或“-”，并以字母或数字开头。</translation>
    </message>
    <message>
        <source>The user&apos;s name (as shown) is missing.</source>
        <translation>缺少用户的显示姓名。</translation>
    </message>
    <message>
        <source>A user needs at least one position.</source>
        <translation>用户至少需要一个岗位。</translation>
    </message>
    <message>
        <source>Staff of {org} cannot hold the position(s) {positions}.</source>
        <translation>{org}的人员不能担任以下岗位：{positions}。</translation>
    </message>
    <message>
        <source>A determination officer needs a badge number: it is printed on every letter.</source>
        <translation>在线认定民警须有警号：警号会打印在每份认定书上。</translation>
    </message>
    <message>
        <source>The user name {username} is taken; choose another.</source>
        <translation>用户名 {username} 已被占用，请换一个。</translation>
    </message>
    <message>
        <source>Organisation {org_id} does not exist.</source>
        <translation>单位{org_id}不存在。</translation>
    </message>
    <message>
        <source>The password hashing cost must be positive.</source>
        <translation>密码哈希计算参数必须为正数。</translation>
    </message>
    <message>
        <source>The password has {found} characters; at least {required} are required.</source>
        <translation>密码为{found}个字符，至少需要{required}个。</translation>
    </message>
    <message>
        <source>The password has {found} characters; at most {allowed} are allowed.</source>
        <translation>密码为{found}个字符，最多允许{allowed}个。</translation>
    </message>
    <message>
        <source>The password is only digits (like a phone or ID number); add letters.</source>
        <translation>密码只有数字（类似电话号码或身份证号码），请加入字母。</translation>
    </message>
    <message>
        <source>The password is only spaces.</source>
        <translation>密码只有空格。</translation>
    </message>
    <message>
        <source>The password must not be the user name.</source>
        <translation>密码不能与用户名相同。</translation>
    </message>
    <message>
        <source>The current password is wrong.</source>
        <translation>当前密码错误。</translation>
    </message>
    <message>
        <source>The new password is the same as the current one.</source>
        <translation>新密码与当前密码相同。</translation>
    </message>
    <message>
        <source>The password was changed from another seat meanwhile; sign in again.</source>
        <translation>密码已在其他席位被修改，请重新登录。</translation>
    </message>
    <message>
        <source>The lockout policy is invalid: failures and minutes must both be at least 1.</source>
        <translation>账号锁定策略无效：失败次数和锁定分钟数均须至少为1。</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>Too many wrong passwords: this account is locked until {until}. Try again then, or ask the supervisor to unlock it.</source>
        <translation>密码错误次数过多，账号已锁定至{until}。请届时再试，或请值班长解锁。</translation>
    </message>
    <message>
        <source>This desk has no seat name; start it with --seat.</source>
        <translation>本机未设置席位名称；请使用 --seat 参数启动。</translation>
    </message>
    <message>
        <source>The seat name {seat} is longer than 64 characters.</source>
        <translation>席位名称 {seat} 超过64个字符。</translation>
    </message>
    <message>
        <source>This account is disabled; ask the supervisor.</source>
        <translation>该账号已停用，请联系值班长。</translation>
    </message>
    <message>
        <source>You do not hold the {position} position; your positions: {held}. Ask the supervisor if this is wrong.</source>
        <translation>您没有{position}岗位权限；您的岗位：{held}。如有误请联系值班长。</translation>
    </message>
    <message>
        <source>The database URL {url} contains a password; put the password in the keyring, not in the URL.</source>
        <translation>数据库地址 {url} 中包含密码；请将密码保存在系统密钥环中，不要写在地址里。</translation>
    </message>
    <message>
        <source>An empty password or secret cannot be stored.</source>
        <translation>不能保存空的密码或密钥。</translation>
    </message>
    <message>
        <source>A secret needs a name.</source>
        <translation>密钥须有名称。</translation>
    </message>
    <message>
        <source>Whether anyone was injured or killed is not yet known.</source>
        <translation>尚未确认是否有人员伤亡。</translation>
    </message>
    <message>
        <source>Whether party {party}&apos;s vehicle can be driven is not yet known.</source>
        <translation>尚未确认当事人{party}的车辆能否正常行驶。</translation>
    </message>
    <message>
        <source>Party {party}&apos;s driving licence validity is not yet known.</source>
        <translation>尚未确认当事人{party}的驾驶证有效期。</translation>
    </message>
    <message>
        <source>Party {party}&apos;s driving licence status is not yet checked.</source>
        <translation>尚未核查当事人{party}的驾驶证状态。</translation>
    </message>
    <message>
        <source>Whether party {party}&apos;s licence class covers the vehicle is not yet known.</source>
        <translation>尚未确认当事人{party}的准驾车型与车辆是否相符。</translation>
    </message>
    <message>
        <source>Party {party}&apos;s vehicle inspection validity is not yet known.</source>
        <translation>尚未确认当事人{party}的车辆检验有效期。</translation>
    </message>
    <message>
        <source>Party {party}&apos;s vehicle registration status is not yet checked.</source>
        <translation>尚未核查当事人{party}的机动车登记状态。</translation>
    </message>
    <message>
        <source>Party {party}&apos;s compulsory insurance period is not yet known.</source>
        <translation>尚未确认当事人{party}的交强险保险期间。</translation>
    </message>
    <message>
        <source>Whether any driver drank or took drugs is not yet known.</source>
        <translation>尚未确认驾驶人是否饮酒或服用毒品后驾驶。</translation>
    </message>
    <message>
        <source>Whether every vehicle carries genuine plates is not yet known.</source>
        <translation>尚未确认各车号牌是否真实有效。</translation>
    </message>
    <message>
        <source>Whether any vehicle carries dangerous goods is not yet known.</source>
        <translation>尚未确认车辆是否载运危险物品。</translation>
    </message>
    <message>
        <source>Whether every party stayed at the scene is not yet known.</source>
        <translation>尚未确认各方当事人是否均在现场。</translation>
    </message>
    <message>
        <source>Whether the crash was caused on purpose is not yet assessed.</source>
        <translation>尚未研判是否属故意制造事故。</translation>
    </message>
    <message>
        <source>The accident&apos;s district is not yet known.</source>
        <translation>尚未确认事故发生地所属辖区。</translation>
    </message>
    <message>
        <source>The call no longer exists.</source>
        <translation>该来电已不存在。</translation>
    </message>
    <message>
        <source>reprint determination letters</source>
        <translation>补打事故认定书</translation>
    </message>
    <message>
        <source>export case files</source>
        <translation>导出案卷</translation>
    </message>
    <message>
        <source>show the parties&apos; personal data</source>
        <translation>查看当事人个人信息</translation>
    </message>
    <message>
        <source>manage citizen helpers</source>
        <translation>管理热心群众</translation>
    </message>
    <message>
        <source>close a month of helper rewards</source>
        <translation>结算热心群众月度奖励</translation>
    </message>
    <message>
        <source>export the helper payment sheet</source>
        <translation>导出热心群众奖励发放表</translation>
    </message>
    <message>
        <source>The gateway sent an unusable call id {external_id}.</source>
        <translation>网关发送的来电编号 {external_id} 无效。</translation>
    </message>
    <message>
        <source>The call&apos;s {what} time has no time zone.</source>
        <translation>来电的{what}时间缺少时区。</translation>
    </message>
    <message>
        <source>The caller&apos;s location needs both latitude and longitude.</source>
        <translation>报警人位置须同时包含经度和纬度。</translation>
    </message>
    <message>
        <source>The caller&apos;s location {lat}, {lon} is outside the valid range.</source>
        <translation>报警人位置 {lat}, {lon} 超出有效范围。</translation>
    </message>
    <message>
        <source>{position} is not a position that can take calls.</source>
        <translation>{position}不是可以接听来电的岗位。</translation>
    </message>
    <message>
        <source>Seat name {seat} is longer than {limit} characters.</source>
        <translation>席位名称 {seat} 超过 {limit} 个字符。</translation>
    </message>
    <message>
        <source>The caller of call {call} has hung up.</source>
        <translation>来电 {call} 的报警人已挂断。</translation>
    </message>
    <message>
        <source>Call {call} has already ended.</source>
        <translation>来电 {call} 已结束。</translation>
    </message>
    <message>
        <source>Call {call} was answered by {holder} at seat {seat}.</source>
        <translation>来电 {call} 已由{holder}（席位 {seat}）接听。</translation>
    </message>
    <message>
        <source>Call {call} is held by {holder} at seat {seat}.</source>
        <translation>来电 {call} 正由{holder}（席位 {seat}）处理。</translation>
    </message>
    <message>
        <source>Call {call} is ringing for seat {target_seat}.</source>
        <translation>来电 {call} 正在呼叫席位 {target_seat}。</translation>
    </message>
    <message>
        <source>Call {call} is ringing for the {target_position} position.</source>
        <translation>来电 {call} 正在呼叫{target_position}岗位。</translation>
    </message>
    <message>
        <source>Call {call} has not been answered by this seat.</source>
        <translation>本席位尚未接听来电 {call}。</translation>
    </message>
    <message>
        <source>Call {call} is already linked to case {case_no}.</source>
        <translation>来电 {call} 已关联案件 {case_no}。</translation>
    </message>
    <message>
        <source>Choose a position or a seat to transfer the call to.</source>
        <translation>请选择要转接的岗位或席位。</translation>
    </message>
    <message>
        <source>The call is already at seat {seat}.</source>
        <translation>来电已在席位 {seat}。</translation>
    </message>
    <message>
        <source>Seat {seat} works as {seat_position}, not {position}.</source>
        <translation>席位 {seat} 属于{seat_position}岗位，而非{position}。</translation>
    </message>
    <message>
        <source>There is no seat named {seat}.</source>
        <translation>不存在名为 {seat} 的席位。</translation>
    </message>
    <message>
        <source>Seat {seat} is not in service.</source>
        <translation>席位 {seat} 未启用。</translation>
    </message>
    <message>
        <source>Case {case_no} is {state} and can no longer take a call.</source>
        <translation>案件 {case_no} 状态为{state}，不能再关联来电。</translation>
    </message>
</context>
<context>
    <name>GatewayStatus</name>
    <message>
        <source>Gateway: not configured</source>
        <translation>网关：未配置</translation>
    </message>
    <message>
        <source>uploads</source>
        <translation>上传</translation>
    </message>
    <message>
        <source>records</source>
        <translation>信息核查</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>短信</translation>
    </message>
    <message>
        <source>insurers</source>
        <translation>保险公司</translation>
    </message>
    <message>
        <source>checkpoints</source>
        <translation>卡口</translation>
    </message>
    <message>
        <source>Gateway lost: {links}, retrying</source>
        <translation>网关中断：{links}，正在重试</translation>
    </message>
    <message>
        <source>Gateway slow: {links}</source>
        <translation>网关缓慢：{links}</translation>
    </message>
    <message>
        <source>Gateway: live</source>
        <translation>网关：正常</translation>
    </message>
</context>
<context>
    <name>HelpersDialog</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>登记日期</translation>
    </message>
    <message>
        <source>Helper</source>
        <translation>热心群众</translation>
    </message>
    <message>
        <source>Counted cases</source>
        <translation>计奖案件数</translation>
    </message>
    <message>
        <source>Reward (yuan)</source>
        <translation>奖励金额（元）</translation>
    </message>
    <message>
        <source>Citizen helpers</source>
        <translation>热心群众</translation>
    </message>
    <message>
        <source>&amp;Register</source>
        <translation>登记(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>手机号码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;ID number:</source>
        <translation>身份证号码(&amp;I)：</translation>
    </message>
    <message>
        <source>Register a helper</source>
        <translation>登记热心群众</translation>
    </message>
    <message>
        <source>&amp;Case number:</source>
        <translation>案件编号(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Link to the selected helper</source>
        <translation>关联到所选热心群众(&amp;L)</translation>
    </message>
    <message>
        <source>Helpers</source>
        <translation>热心群众名单</translation>
    </message>
    <message>
        <source>&amp;Month:</source>
        <translation>月份(&amp;M)：</translation>
    </message>
    <message>
        <source>E&amp;xport CSV…</source>
        <translation>导出 CSV(&amp;X)…</translation>
    </message>
    <message>
        <source>Close the m&amp;onth…</source>
        <translation>月度结算(&amp;O)…</translation>
    </message>
    <message>
        <source>Monthly reward ledger</source>
        <translation>月度奖励台账</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>closed on {date}</source>
        <translation>已于 {date} 结算</translation>
    </message>
    <message>
        <source>open: figures may still change</source>
        <translation>未结算，数字仍可能变化</translation>
    </message>
    <message>
        <source>{month}: {helpers} helpers, {cases} counted cases, {amount} yuan ({state})</source>
        <translation>{month}：{helpers} 人，计奖案件 {cases} 起，合计 {amount} 元（{state}）</translation>
    </message>
    <message>
        <source>Registering…</source>
        <translation>正在登记…</translation>
    </message>
    <message>
        <source>Registered {name} ({phone}).</source>
        <translation>已登记 {name}（{phone}）。</translation>
    </message>
    <message>
        <source>Select the helper in the list first.</source>
        <translation>请先在名单中选择热心群众。</translation>
    </message>
    <message>
        <source>Type the case number to link.</source>
        <translation>请输入要关联的案件编号。</translation>
    </message>
    <message>
        <source>Linking…</source>
        <translation>正在关联…</translation>
    </message>
    <message>
        <source>Case {case_no} linked to {name}.</source>
        <translation>案件 {case_no} 已关联到 {name}。</translation>
    </message>
    <message>
        <source>Case {case_no} was already linked to {name}; nothing changed.</source>
        <translation>案件 {case_no} 此前已关联到 {name}，未作改动。</translation>
    </message>
    <message>
        <source>Export the payment sheet</source>
        <translation>导出发放表</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Payment sheet written: {path}</source>
        <translation>发放表已保存：{path}</translation>
    </message>
    <message>
        <source>The payment sheet could not be written: {detail}</source>
        <translation>发放表无法保存：{detail}</translation>
    </message>
    <message>
        <source>Closing {month}…</source>
        <translation>正在结算 {month}…</translation>
    </message>
    <message>
        <source>Close the month</source>
        <translation>月度结算</translation>
    </message>
    <message>
        <source>Fix the rewards of {month} for payment? Cases determined in {month} and linked later will not be paid.</source>
        <translation>确定结算 {month} 的奖励并用于发放吗？结算后再关联的 {month} 认定案件将不再计奖。</translation>
    </message>
    <message>
        <source>{month} was closed already; nothing changed.</source>
        <translation>{month} 已结算过，未作改动。</translation>
    </message>
    <message>
        <source>Nobody earned a reward in {month}; nothing was written.</source>
        <translation>{month} 无人有计奖案件，未写入任何记录。</translation>
    </message>
    <message>
        <source>{month} closed: {amount} yuan for {helpers} helpers.</source>
        <translation>{month} 已结算：{helpers} 人，合计 {amount} 元。</translation>
    </message>
</context>
<context>
    <name>HitAlertsModel</name>
    <message>
        <source>Seen</source>
        <translation>抓拍时间</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>号牌</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>The plate has come off the watch list since (the insurer paid).</source>
        <translation>该号牌此后已撤销布控（保险公司已赔付）。</translation>
    </message>
    <message>
        <source>complaint {id}</source>
        <translation>投诉{id}</translation>
    </message>
    <message>
        <source>complaint {id} · case {case_no} · {insurer}</source>
        <translation>投诉{id} · 案件{case_no} · {insurer}</translation>
    </message>
</context>
<context>
    <name>HitAlertsView</name>
    <message>
        <source>Checkpoint hits of watch-listed plates (Ctrl+J shows the camera)</source>
        <translation>布控号牌的卡口预警（Ctrl+J 查看摄像机画面）</translation>
    </message>
</context>
<context>
    <name>HitViewer</name>
    <message>
        <source>Camera {name}</source>
        <translation>摄像机 {name}</translation>
    </message>
</context>
<context>
    <name>IdentityLabel</name>
    <message>
        <source>{name} · {position} · seat {seat}</source>
        <translation>{name} · {position} · 席位 {seat}</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Reception</source>
        <translation>接警引导</translation>
    </message>
    <message>
        <source>Online review</source>
        <translation>在线审核</translation>
    </message>
    <message>
        <source>Determination</source>
        <translation>在线认定</translation>
    </message>
    <message>
        <source>Lookup</source>
        <translation>事故查询</translation>
    </message>
    <message>
        <source>Video patrol</source>
        <translation>视频巡查</translation>
    </message>
    <message>
        <source>Claims</source>
        <translation>保险理赔</translation>
    </message>
    <message>
        <source>Rescue</source>
        <translation>事故救援</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>值班长</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Collecting evidence</source>
        <translation>取证中</translation>
    </message>
    <message>
        <source>Under review</source>
        <translation>审核中</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>Evacuated</source>
        <translation>已撤离</translation>
    </message>
    <message>
        <source>Agreed by parties</source>
        <translation>自行协商</translation>
    </message>
    <message>
        <source>Awaiting determination</source>
        <translation>待认定</translation>
    </message>
    <message>
        <source>Determining</source>
        <translation>认定中</translation>
    </message>
    <message>
        <source>Determined</source>
        <translation>已认定</translation>
    </message>
    <message>
        <source>Disputed</source>
        <translation>有异议</translation>
    </message>
    <message>
        <source>Mediating</source>
        <translation>调解中</translation>
    </message>
    <message>
        <source>Insurers notified</source>
        <translation>已推送保险</translation>
    </message>
    <message>
        <source>Claims open</source>
        <translation>理赔中</translation>
    </message>
    <message>
        <source>Settled</source>
        <translation>已赔付</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <source>Escalated to on-scene police</source>
        <translation>转现场处置</translation>
    </message>
    <message>
        <source>Referred offline</source>
        <translation>转线下处理</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <source>Start collecting evidence</source>
        <translation>开始取证</translation>
    </message>
    <message>
        <source>Materials submitted</source>
        <translation>材料已提交</translation>
    </message>
    <message>
        <source>Return to parties</source>
        <translation>退回当事人</translation>
    </message>
    <message>
        <source>Resume collecting</source>
        <translation>继续取证</translation>
    </message>
    <message>
        <source>Approve and evacuate</source>
        <translation>审核通过并通知撤离</translation>
    </message>
    <message>
        <source>Parties agreed</source>
        <translation>当事人已自行协商</translation>
    </message>
    <message>
        <source>Request determination</source>
        <translation>提交认定</translation>
    </message>
    <message>
        <source>Take determination</source>
        <translation>领取认定</translation>
    </message>
    <message>
        <source>Release determination</source>
        <translation>释放认定</translation>
    </message>
    <message>
        <source>Determine liability</source>
        <translation>认定责任</translation>
    </message>
    <message>
        <source>Notify insurers</source>
        <translation>推送保险公司</translation>
    </message>
    <message>
        <source>Record objection</source>
        <translation>登记异议</translation>
    </message>
    <message>
        <source>Start mediation</source>
        <translation>开始调解</translation>
    </message>
    <message>
        <source>Uphold determination</source>
        <translation>维持原认定</translation>
    </message>
    <message>
        <source>Record mediation result</source>
        <translation>登记调解结果</translation>
    </message>
    <message>
        <source>Refer to court</source>
        <translation>告知诉讼</translation>
    </message>
    <message>
        <source>Open claims</source>
        <translation>开始理赔</translation>
    </message>
    <message>
        <source>Settle</source>
        <translation>赔付完成</translation>
    </message>
    <message>
        <source>Close case</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Escalate to on-scene police</source>
        <translation>转现场处置</translation>
    </message>
    <message>
        <source>Refer offline</source>
        <translation>转线下处理</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>撤销案件</translation>
    </message>
    <message>
        <source>Scene, front side</source>
        <translation>现场侧前方</translation>
    </message>
    <message>
        <source>Scene, rear side</source>
        <translation>现场侧后方</translation>
    </message>
    <message>
        <source>Collision point</source>
        <translation>碰撞部位</translation>
    </message>
    <message>
        <source>Driving licence</source>
        <translation>驾驶证</translation>
    </message>
    <message>
        <source>Vehicle registration</source>
        <translation>行驶证</translation>
    </message>
    <message>
        <source>Other scene photo</source>
        <translation>其他现场照片</translation>
    </message>
    <message>
        <source>Damage close-up</source>
        <translation>车损细节</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>已派遣</translation>
    </message>
    <message>
        <source>En route</source>
        <translation>在途</translation>
    </message>
    <message>
        <source>On scene</source>
        <translation>已到场</translation>
    </message>
    <message>
        <source>Towing</source>
        <translation>拖移中</translation>
    </message>
    <message>
        <source>Returning</source>
        <translation>返回中</translation>
    </message>
    <message>
        <source>Waiting for a unit</source>
        <translation>等待派车</translation>
    </message>
    <message>
        <source>Unit on its way</source>
        <translation>救援在途</translation>
    </message>
    <message>
        <source>Unit on scene</source>
        <translation>救援到场</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Tow truck</source>
        <translation>清障车</translation>
    </message>
    <message>
        <source>Rescue vehicle</source>
        <translation>救援车</translation>
    </message>
</context>
<context>
    <name>LiabilityGrade</name>
    <message>
        <source>full</source>
        <translation>全部责任</translation>
    </message>
    <message>
        <source>main</source>
        <translation>主要责任</translation>
    </message>
    <message>
        <source>equal</source>
        <translation>同等责任</translation>
    </message>
    <message>
        <source>minor</source>
        <translation>次要责任</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无责任</translation>
    </message>
</context>
<context>
    <name>LookupDesk</name>
    <message>
        <source>Search and complaints</source>
        <translation>查询与投诉</translation>
    </message>
    <message>
        <source>Ctrl+Shift+N file a complaint · Ctrl+Shift+C record the call · Ctrl+Shift+Y record the payment · Ctrl+Shift+S sanction now · F5 reload · Ctrl+J camera of the hit</source>
        <translation>Ctrl+Shift+N 登记投诉 · Ctrl+Shift+C 记录致电 · Ctrl+Shift+Y 记录赔付 · Ctrl+Shift+S 立即惩戒 · F5 刷新 · Ctrl+J 查看预警摄像机</translation>
    </message>
    <message>
        <source>Checkpoint hits</source>
        <translation>卡口预警</translation>
    </message>
    <message>
        <source>{count} complaints are overdue; see the list.</source>
        <translation>有{count}件投诉已超期，请查看列表。</translation>
    </message>
    <message>
        <source>Complaint {id} (case {case_no}, {plate}) is overdue: nobody called {insurer} within 24 hours.</source>
        <translation>投诉{id}（案件{case_no}，{plate}）已超期：24小时内无人致电{insurer}。</translation>
    </message>
    <message>
        <source>Complaint {id} (case {case_no}, {plate}) is overdue: {insurer} did not pay by the deadline.</source>
        <translation>投诉{id}（案件{case_no}，{plate}）已超期：{insurer}未在期限内赔付。</translation>
    </message>
    <message>
        <source>Sanctioned {count}: {plates} on the checkpoint watch list, fine {fine} yuan recorded, the credit bureau notified.</source>
        <translation>已惩戒{count}件：{plates}已列入卡口布控，已记录罚款{fine}元，并已通报征信机构。</translation>
    </message>
    <message>
        <source>Open the case the complaint is about first.</source>
        <translation>请先打开投诉所涉及的案件。</translation>
    </message>
    <message>
        <source>Complaint {id} filed: call the insurer by {call}; payment is due by {pay}.</source>
        <translation>投诉{id}已登记：须于{call}前致电保险公司；赔付期限为{pay}。</translation>
    </message>
    <message>
        <source>The pay-by date counts Monday to Friday: the official holiday calendar for that year is not known yet.</source>
        <translation>赔付期限按周一至周五计算：该年度的法定节假日安排尚未公布。</translation>
    </message>
    <message>
        <source>Choose a complaint in the list first.</source>
        <translation>请先在列表中选择一件投诉。</translation>
    </message>
    <message>
        <source>Complaint {id} is {state}: nothing to record.</source>
        <translation>投诉{id}的状态为“{state}”：无需记录。</translation>
    </message>
    <message>
        <source>Call to {insurer}</source>
        <translation>致电{insurer}</translation>
    </message>
    <message>
        <source>Whom you spoke to and what they said. The call orders payment by {pay}.</source>
        <translation>与谁通话、对方如何答复。本次致电责令其于{pay}前赔付。</translation>
    </message>
    <message>
        <source>Call to {insurer} recorded for complaint {id}.</source>
        <translation>已为投诉{id}记录致电{insurer}。</translation>
    </message>
    <message>
        <source>{reason} The note is kept: Ctrl+Shift+C opens it again.</source>
        <translation>{reason} 通话记录已保留：按 Ctrl+Shift+C 可再次打开。</translation>
    </message>
    <message>
        <source>Payment recorded: complaint {id} is closed.</source>
        <translation>已记录赔付：投诉{id}已办结。</translation>
    </message>
    <message>
        <source>The plate comes off the checkpoint watch list.</source>
        <translation>该号牌将撤销卡口布控。</translation>
    </message>
    <message>
        <source>Nothing to sanction: no unpaid complaint is past its deadline without a sanction.</source>
        <translation>无需惩戒：没有逾期未赔付且尚未惩戒的投诉。</translation>
    </message>
    <message>
        <source>Nothing new was sanctioned: another seat was first.</source>
        <translation>没有新的惩戒：其他席位已先行处理。</translation>
    </message>
    <message>
        <source>Watch-listed {plate} passed {camera} at {time} (complaint {id}, case {case_no}). Ctrl+J shows the camera.</source>
        <translation>布控号牌{plate}于{time}经过{camera}（投诉{id}，案件{case_no}）。按 Ctrl+J 查看摄像机画面。</translation>
    </message>
    <message>
        <source>Watch-listed {plate} passed {camera} at {time}. Ctrl+J shows the camera.</source>
        <translation>布控号牌{plate}于{time}经过{camera}。按 Ctrl+J 查看摄像机画面。</translation>
    </message>
    <message>
        <source>No checkpoint hit to show.</source>
        <translation>没有可查看的卡口预警。</translation>
    </message>
    <message>
        <source>{plate} passed here at {time}.</source>
        <translation>{plate}于{time}经过此处。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Hall Console · Police–insurer linkage hall</source>
        <translation>大厅工作台 · 警保联动指挥中心</translation>
    </message>
    <message>
        <source>&amp;Session</source>
        <translation>会话(&amp;S)</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Switch position or seat…</source>
        <translation>切换岗位或席位…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>Undelivered messages…</source>
        <translation>未送达消息…</translation>
    </message>
    <message>
        <source>Citizen helpers…</source>
        <translation>热心群众…</translation>
    </message>
    <message>
        <source>Case detail</source>
        <translation>案件详情</translation>
    </message>
    <message>
        <source>My seat</source>
        <translation>我的席位</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>Hall Console · {seat}</source>
        <translation>大厅工作台 · {seat}</translation>
    </message>
</context>
<context>
    <name>MessagePage</name>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>The central database cannot be reached. Your input is kept; try again.</source>
        <translation>无法连接中心数据库。您填写的内容已保留，请重试。</translation>
    </message>
    <message>
        <source>A password this seat needs is not stored in its keyring yet: {key}</source>
        <translation>本席位的系统密钥环中尚未保存所需的密码：{key}</translation>
    </message>
    <message>
        <source>This seat has no system keyring to keep the hall&apos;s passwords; ask IT.</source>
        <translation>本席位没有可用的系统密钥环来保存大厅密码，请联系信息技术人员。</translation>
    </message>
    <message>
        <source>A connection failed: {detail}</source>
        <translation>连接失败：{detail}</translation>
    </message>
    <message>
        <source>Something went wrong: {detail}. Your input is kept.</source>
        <translation>出现错误：{detail}。您填写的内容已保留。</translation>
    </message>
</context>
<context>
    <name>PartyLetter</name>
    <message>
        <source>A</source>
        <translation>甲</translation>
    </message>
    <message>
        <source>B</source>
        <translation>乙</translation>
    </message>
    <message>
        <source>C</source>
        <translation>丙</translation>
    </message>
</context>
<context>
    <name>PatrolDesk</name>
    <message>
        <source>Edit layout (F4)</source>
        <translation>编辑布局（F4）</translation>
    </message>
    <message>
        <source>Patrol tour (Ctrl+T)</source>
        <translation>轮巡（Ctrl+T）</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>布局</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已存布局</translation>
    </message>
    <message>
        <source>Edit mode: drag cameras onto tiles, then Ctrl+S saves the layout.</source>
        <translation>编辑模式：把摄像机拖到画面格中，按 Ctrl+S 保存布局。</translation>
    </message>
    <message>
        <source>Layout locked.</source>
        <translation>布局已锁定。</translation>
    </message>
    <message>
        <source>Camera {id} is no longer in the registry.</source>
        <translation>摄像机 {id} 已不在设备台账中。</translation>
    </message>
    <message>
        <source>Open a case first: its place decides the cameras.</source>
        <translation>请先打开案件：按事故地点选取摄像机。</translation>
    </message>
    <message>
        <source>No camera near this case&apos;s place.</source>
        <translation>该案件地点附近没有摄像机。</translation>
    </message>
    <message>
        <source>The {count} cameras nearest to the case are on the wall.</source>
        <translation>离案件最近的 {count} 路摄像机已上墙。</translation>
    </message>
    <message>
        <source>{live} of {shown} live on the wall</source>
        <translation>上墙 {shown} 路，在线 {live} 路</translation>
    </message>
    <message>
        <source>The saved layout cannot be read.</source>
        <translation>无法读取已保存的布局。</translation>
    </message>
    <message>
        <source>{count} cameras of this layout are no longer in the registry.</source>
        <translation>该布局中有 {count} 路摄像机已不在设备台账中。</translation>
    </message>
    <message>
        <source>Unlock the layout first (F4).</source>
        <translation>请先解锁布局（F4）。</translation>
    </message>
    <message>
        <source>Layout {name} saved for this seat.</source>
        <translation>布局 {name} 已保存到本席位。</translation>
    </message>
    <message>
        <source>Patrol tour stopped.</source>
        <translation>轮巡已停止。</translation>
    </message>
    <message>
        <source>The camera list is still loading.</source>
        <translation>摄像机列表仍在加载。</translation>
    </message>
    <message>
        <source>Tour paused: {reason}</source>
        <translation>轮巡已暂停：{reason}</translation>
    </message>
    <message>
        <source>Tour: {group}, page {page} of {pages}</source>
        <translation>轮巡：{group}，第 {page}/{pages} 页</translation>
    </message>
    <message>
        <source>watch-listed {plate} passed camera {camera} at {time}</source>
        <translation>布控车辆 {plate} 于 {time} 经过卡口摄像机 {camera}</translation>
    </message>
    <message>
        <source>Alert: {reason}. Ctrl+J shows the camera.</source>
        <translation>预警：{reason}。按 Ctrl+J 查看该摄像机。</translation>
    </message>
    <message>
        <source>No checkpoint alert to jump to.</source>
        <translation>没有可跳转的卡口预警。</translation>
    </message>
    <message>
        <source>Open the case the footage belongs to first.</source>
        <translation>请先打开该视频所属的案件。</translation>
    </message>
    <message>
        <source>Focus a tile with a camera first.</source>
        <translation>请先选中一个有摄像机的画面格。</translation>
    </message>
    <message>
        <source>No picture from this camera yet.</source>
        <translation>该摄像机尚无画面。</translation>
    </message>
    <message>
        <source>Snapshot attached (SHA-256 {digest}…).</source>
        <translation>截图已附入案件（SHA-256 {digest}…）。</translation>
    </message>
    <message>
        <source>This camera keeps no footage to clip.</source>
        <translation>该摄像机没有可截取的缓存录像。</translation>
    </message>
    <message>
        <source>Clip attached (SHA-256 {digest}…).</source>
        <translation>视频片段已附入案件（SHA-256 {digest}…）。</translation>
    </message>
    <message>
        <source>Keeping the last {before} s and the next {after} s…</source>
        <translation>正在保存前 {before} 秒和后 {after} 秒录像…</translation>
    </message>
    <message>
        <source>No footage kept for this case yet.</source>
        <translation>本案尚未调取视频证据。</translation>
    </message>
    <message>
        <source>{bad} of {count} pieces of footage no longer match their SHA-256: {names}</source>
        <translation>{count} 份视频证据中有 {bad} 份与其 SHA-256 不符：{names}</translation>
    </message>
    <message>
        <source>All {count} pieces of footage match their SHA-256.</source>
        <translation>全部 {count} 份视频证据与其 SHA-256 相符。</translation>
    </message>
    <message>
        <source>Import the camera list</source>
        <translation>导入摄像机台账</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Camera list imported: {added} added, {updated} updated, {unchanged} unchanged.</source>
        <translation>摄像机台账已导入：新增 {added}，更新 {updated}，未变 {unchanged}。</translation>
    </message>
    <message>
        <source>… and {count} more.</source>
        <translation>……另有 {count} 处。</translation>
    </message>
    <message>
        <source>Nothing was imported; fix these lines and import again:</source>
        <translation>未导入任何内容；请修正以下各行后重新导入：</translation>
    </message>
    <message>
        <source>Export the camera list</source>
        <translation>导出摄像机台账</translation>
    </message>
    <message>
        <source>{count} cameras written to {file}. The file holds the stream passwords: keep it safe.</source>
        <translation>已将 {count} 路摄像机写入 {file}。该文件含视频流密码，请妥善保管。</translation>
    </message>
</context>
<context>
    <name>PaymentForm</name>
    <message>
        <source>Payment for complaint {id}</source>
        <translation>投诉{id}的赔付</translation>
    </message>
    <message>
        <source>Case {case_no}, plate {plate}, insurer {insurer}.</source>
        <translation>案件{case_no}，号牌{plate}，保险公司{insurer}。</translation>
    </message>
    <message>
        <source>yuan, e.g. 3500</source>
        <translation>单位元，例如 3500</translation>
    </message>
    <message>
        <source>Record payment (Ctrl+Enter)</source>
        <translation>记录赔付（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Amount paid</source>
        <translation>赔付金额</translation>
    </message>
    <message>
        <source>Paid at</source>
        <translation>赔付时间</translation>
    </message>
    <message>
        <source>Recording the payment closes the complaint and lifts the plate off the checkpoint watch list.</source>
        <translation>记录赔付后投诉即办结，该号牌撤销卡口布控。</translation>
    </message>
    <message>
        <source>Enter the amount paid in yuan, e.g. 3500 or 3500.50.</source>
        <translation>请以元为单位填写赔付金额，例如 3500 或 3500.50。</translation>
    </message>
</context>
<context>
    <name>PhotoPane</name>
    <message>
        <source>No photo shown</source>
        <translation>未显示照片</translation>
    </message>
    <message>
        <source>Refused: {reason}</source>
        <translation>已拒收：{reason}</translation>
    </message>
    <message>
        <source>This photo could not be shown</source>
        <translation>此照片无法显示</translation>
    </message>
    <message>
        <source>{caption} · {zoom}% · turned {degrees}°</source>
        <translation>{caption} · {zoom}% · 已旋转 {degrees}°</translation>
    </message>
    <message>
        <source>{caption} · {zoom}%</source>
        <translation>{caption} · {zoom}%</translation>
    </message>
</context>
<context>
    <name>PhotoStrip</name>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Refused: {reason}</source>
        <translation>已拒收：{reason}</translation>
    </message>
    <message>
        <source>Cannot be shown</source>
        <translation>无法显示</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>Missing: {caption}</source>
        <translation>缺少：{caption}</translation>
    </message>
</context>
<context>
    <name>PhotoViewer</name>
    <message>
        <source>Wheel or +/- zoom, 0 fits, drag or arrows pan, R turns (Shift+R back), D compares with the previous photo, Tab switches pane</source>
        <translation>滚轮或 +/- 缩放，0 适应窗口，拖动或方向键平移，R 旋转（Shift+R 转回），D 与上一张照片对比，Tab 切换窗格</translation>
    </message>
</context>
<context>
    <name>PlaceMap</name>
    <message>
        <source>Place map</source>
        <translation>事故地点地图</translation>
    </message>
    <message>
        <source>N</source>
        <translation>北</translation>
    </message>
    <message>
        <source>No case selected</source>
        <translation>未选择案件</translation>
    </message>
    <message>
        <source>No coordinates for this case</source>
        <translation>本案件没有坐标</translation>
    </message>
    <message>
        <source>Accident</source>
        <translation>事故</translation>
    </message>
    <message>
        <source>Accident place</source>
        <translation>事故地点</translation>
    </message>
    <message>
        <source>%1 m</source>
        <translation>%1 米</translation>
    </message>
    <message>
        <source>%1 km</source>
        <translation>%1 公里</translation>
    </message>
    <message>
        <source>Click a camera, or Tab then Enter</source>
        <translation>点击摄像机，或按 Tab 选择、Enter 打开</translation>
    </message>
    <message>
        <source>Click a marker, or Tab then Enter</source>
        <translation>点击标记，或按 Tab 选择、Enter 打开</translation>
    </message>
    <message>
        <source>No cameras near this place</source>
        <translation>附近没有摄像机</translation>
    </message>
</context>
<context>
    <name>RescueDesk</name>
    <message>
        <source>Rescue</source>
        <translation>事故救援</translation>
    </message>
    <message>
        <source>F3 send the nearest unit · Ctrl+Shift+A send the chosen unit · F4 next state · Ctrl+1…5 available, en route, on scene, towing, returning · Ctrl+Shift+X call off · Ctrl+Shift+R new request · Ctrl+M map · F5 reload</source>
        <translation>F3 派最近车辆 · Ctrl+Shift+A 派选中车辆 · F4 下一状态 · Ctrl+1…5 空闲、在途、到场、拖移、返回 · Ctrl+Shift+X 取消申请 · Ctrl+Shift+R 新建申请 · Ctrl+M 地图 · F5 刷新</translation>
    </message>
    <message>
        <source>The map shows the newest {count} open cases only.</source>
        <translation>地图只显示最新的 {count} 个未结案件。</translation>
    </message>
    <message>
        <source>Rescue requests: {waiting} waiting for a unit, {overdue} past the {minutes}-minute arrival target</source>
        <translation>救援申请：{waiting} 个等待派车，{overdue} 个超过 {minutes} 分钟到场时限</translation>
    </message>
    <message>
        <source>Units: {free} of {total} available</source>
        <translation>救援力量：{total} 辆中 {free} 辆空闲</translation>
    </message>
    <message>
        <source>Camera {id}: the patrol seat shows it live.</source>
        <translation>摄像机 {id}：请在视频巡查席位查看实时画面。</translation>
    </message>
    <message>
        <source>No rescue request is waiting for a unit.</source>
        <translation>没有等待派车的救援申请。</translation>
    </message>
    <message>
        <source>Choose a unit on the board first.</source>
        <translation>请先在调度板上选择救援力量。</translation>
    </message>
    <message>
        <source>{unit} sent to request {task}, {km:.1f} km away.</source>
        <translation>已派 {unit} 前往救援申请 {task}，距离 {km:.1f} 公里。</translation>
    </message>
    <message>
        <source>{unit} sent to request {task}.</source>
        <translation>已派 {unit} 前往救援申请 {task}。</translation>
    </message>
    <message>
        <source>{unit} is {state}: it is sent by assigning it to a request (F3).</source>
        <translation>{unit} 当前为“{state}”：须分派到救援申请才能派出（F3）。</translation>
    </message>
    <message>
        <source>{unit}: {before} → {after}.</source>
        <translation>{unit}：{before} → {after}。</translation>
    </message>
    <message>
        <source>Choose the rescue request to call off.</source>
        <translation>请选择要取消的救援申请。</translation>
    </message>
    <message>
        <source>Call off rescue request {task}</source>
        <translation>取消救援申请 {task}</translation>
    </message>
    <message>
        <source>Why is the unit no longer needed (the parties moved the car, a duplicate request)? The unit on its way becomes available again.</source>
        <translation>为什么不再需要救援（当事人已自行挪车、重复申请等）？在途的救援力量将恢复空闲。</translation>
    </message>
    <message>
        <source>The reason is kept: Ctrl+Shift+X opens it again.</source>
        <translation>原因已保留：按 Ctrl+Shift+X 可再次打开。</translation>
    </message>
    <message>
        <source>Rescue request {task} called off.</source>
        <translation>救援申请 {task} 已取消。</translation>
    </message>
</context>
<context>
    <name>RescueRequestForm</name>
    <message>
        <source>Rescue for case {case_no}</source>
        <translation>案件 {case_no} 申请救援</translation>
    </message>
    <message>
        <source>Rescue request without a case</source>
        <translation>无案件救援申请</translation>
    </message>
    <message>
        <source>Road, direction and kilometre post or crossing</source>
        <translation>道路、方向及公里桩号或路口</translation>
    </message>
    <message>
        <source>Plate, type and colour, e.g. 鲁E12345 白色小型轿车</source>
        <translation>号牌、车型和颜色，如 鲁E12345 白色小型轿车</translation>
    </message>
    <message>
        <source>Blocks a lane (&amp;B)</source>
        <translation>占用车道(&amp;B)</translation>
    </message>
    <message>
        <source>What the unit should know: the damage, the load, how to reach the car</source>
        <translation>救援人员需要了解的情况：损坏情况、载货、如何到达车辆</translation>
    </message>
    <message>
        <source>Send to the rescue seat (Ctrl+Enter)</source>
        <translation>发送到事故救援席位（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>&amp;Place</source>
        <translation>地点(&amp;P)</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>坐标</translation>
    </message>
    <message>
        <source>&amp;Vehicle</source>
        <translation>车辆(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Note</source>
        <translation>备注(&amp;N)</translation>
    </message>
    <message>
        <source>{lat:.5f}, {lon:.5f} (from the case): the nearest unit can be sent</source>
        <translation>{lat:.5f}，{lon:.5f}（取自案件）：可派最近的救援力量</translation>
    </message>
    <message>
        <source>Not on the map: the rescue seat chooses the unit by hand.</source>
        <translation>无地图位置：由事故救援席位手动选择救援力量。</translation>
    </message>
    <message>
        <source>Case {case_no} already has rescue request {task_id} open; the rescue seat is on it.</source>
        <translation>案件 {case_no} 已有进行中的救援申请 {task_id}，事故救援席位正在处理。</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
</context>
<context>
    <name>RescueRequester</name>
    <message>
        <source>Open the case whose vehicle cannot move first.</source>
        <translation>请先打开车辆无法移动的案件。</translation>
    </message>
    <message>
        <source>Rescue request {task_id} sent to the rescue seat.</source>
        <translation>救援申请 {task_id} 已发送到事故救援席位。</translation>
    </message>
</context>
<context>
    <name>RescueTasksModel</name>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>arrived after {time}</source>
        <translation>用时 {time} 到场</translation>
    </message>
    <message>
        <source>{time} over target</source>
        <translation>已超时 {time}</translation>
    </message>
    <message>
        <source>{time} left</source>
        <translation>剩余 {time}</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>救援力量</translation>
    </message>
    <message>
        <source>Arrival</source>
        <translation>到场计时</translation>
    </message>
    <message>
        <source>lane blocked</source>
        <translation>占用车道</translation>
    </message>
    <message>
        <source>Requested {time} by {name}</source>
        <translation>{name} 于 {time} 申请</translation>
    </message>
    <message>
        <source>Unit {unit} sent {time}</source>
        <translation>{time} 派出 {unit}</translation>
    </message>
    <message>
        <source>On scene {time}</source>
        <translation>{time} 到场</translation>
    </message>
    <message>
        <source>Finished {time}</source>
        <translation>{time} 完成</translation>
    </message>
    <message>
        <source>Cancelled {time}: {reason}</source>
        <translation>{time} 取消：{reason}</translation>
    </message>
    <message>
        <source>Not on the map: choose the unit by hand (Ctrl+Shift+A).</source>
        <translation>无地图位置：请手动选择救援力量（Ctrl+Shift+A）。</translation>
    </message>
</context>
<context>
    <name>RescueUnitsModel</name>
    <message>
        <source>Unit</source>
        <translation>救援力量</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>所属公司</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>For</source>
        <translation>持续</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>救援申请</translation>
    </message>
    <message>
        <source>position unknown</source>
        <translation>位置未知</translation>
    </message>
    <message>
        <source>{state} since {time} · {where}</source>
        <translation>自 {time} 起{state} · {where}</translation>
    </message>
</context>
<context>
    <name>ReviewDesk</name>
    <message>
        <source>Case {case_no} approved: the parties are told to leave the road.</source>
        <translation>案件 {case_no} 审核通过：已通知当事人撤离现场。</translation>
    </message>
    <message>
        <source>Case {case_no} returned to the parties with {n} reasons.</source>
        <translation>案件 {case_no} 已退回当事人，共 {n} 项原因。</translation>
    </message>
    <message>
        <source>Case {case_no} moved off the fast track.</source>
        <translation>案件 {case_no} 已转出快处流程。</translation>
    </message>
    <message>
        <source>No records link is configured at this seat.</source>
        <translation>本席位未配置信息核查链路。</translation>
    </message>
    <message>
        <source>Asking the vehicle, driver and insurance records…</source>
        <translation>正在核查车辆、驾驶人和保险信息…</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <source>No case open</source>
        <translation>未打开案件</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>号牌</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>驾驶证</translation>
    </message>
    <message>
        <source>Registration</source>
        <translation>行驶证</translation>
    </message>
    <message>
        <source>Compulsory insurance</source>
        <translation>交强险</translation>
    </message>
    <message>
        <source>Plates and markings legible (L)</source>
        <translation>号牌和标线清晰（L）</translation>
    </message>
    <message>
        <source>Damage matches the account, no exclusion seen (C)</source>
        <translation>车损与陈述相符，未见排除情形（C）</translation>
    </message>
    <message>
        <source>Checked: not a duplicate</source>
        <translation>已核实：非重复案件</translation>
    </message>
    <message>
        <source>Reason for escalating or referring offline; extra words for the parties</source>
        <translation>转现场或转线下的原因；给当事人的补充说明</translation>
    </message>
    <message>
        <source>Approve, order off the road (Ctrl+Enter)</source>
        <translation>审核通过，通知撤离（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Return (Ctrl+R)</source>
        <translation>退回（Ctrl+R）</translation>
    </message>
    <message>
        <source>Escalate (Ctrl+E)</source>
        <translation>转现场（Ctrl+E）</translation>
    </message>
    <message>
        <source>Refer offline</source>
        <translation>转线下处理</translation>
    </message>
    <message>
        <source>Your judgement (Y: both)</source>
        <translation>人工判断（Y：两项均确认）</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>审核清单</translation>
    </message>
    <message>
        <source>Return reasons (ticked ones are sent)</source>
        <translation>退回原因（勾选的将发送）</translation>
    </message>
    <message>
        <source>Case {case_no} · {state}</source>
        <translation>案件 {case_no} · {state}</translation>
    </message>
    <message>
        <source>✓ pass</source>
        <translation>✓ 通过</translation>
    </message>
    <message>
        <source>✗ fail</source>
        <translation>✗ 不通过</translation>
    </message>
    <message>
        <source>? unknown</source>
        <translation>? 未知</translation>
    </message>
    <message>
        <source>{source}, answered {time}</source>
        <translation>{source}，{time} 答复</translation>
    </message>
    <message>
        <source>Not asked yet</source>
        <translation>尚未查询</translation>
    </message>
    <message>
        <source>No SMS sent for this case yet.</source>
        <translation>本案尚未发送短信。</translation>
    </message>
    <message>
        <source>SMS {template} to {to}: {state} ({time})</source>
        <translation>短信 {template} 发往 {to}：{state}（{time}）</translation>
    </message>
    <message>
        <source>Every item passed: approve with Ctrl+Enter.</source>
        <translation>全部通过：按 Ctrl+Enter 审核通过。</translation>
    </message>
    <message>
        <source>{failed} items failed, {open} still open.</source>
        <translation>{failed} 项未通过，{open} 项尚未确认。</translation>
    </message>
    <message>
        <source>{who}{photo}: present</source>
        <translation>{who}{photo}：已上传</translation>
    </message>
    <message>
        <source>Not every item has passed; return the case or judge the open items.</source>
        <translation>尚有项目未通过；请退回案件或确认待定项目。</translation>
    </message>
    <message>
        <source>Tick at least one return reason.</source>
        <translation>请至少勾选一项退回原因。</translation>
    </message>
    <message>
        <source>Type the reason for escalating.</source>
        <translation>请填写转现场的原因。</translation>
    </message>
    <message>
        <source>Type the reason for referring offline.</source>
        <translation>请填写转线下的原因。</translation>
    </message>
    <message>
        <source>Licence in date</source>
        <translation>驾驶证在有效期内</translation>
    </message>
    <message>
        <source>Licence status normal</source>
        <translation>驾驶证状态正常</translation>
    </message>
    <message>
        <source>Licence class covers the vehicle</source>
        <translation>准驾车型与车辆相符</translation>
    </message>
    <message>
        <source>Vehicle inspection in date</source>
        <translation>车辆检验有效</translation>
    </message>
    <message>
        <source>Registration status normal</source>
        <translation>机动车登记状态正常</translation>
    </message>
    <message>
        <source>Compulsory insurance valid on the accident date</source>
        <translation>事故当日交强险有效</translation>
    </message>
    <message>
        <source>Nobody injured</source>
        <translation>无人员受伤</translation>
    </message>
    <message>
        <source>Number of vehicles allowed</source>
        <translation>车辆数量符合</translation>
    </message>
    <message>
        <source>Vehicles can be driven</source>
        <translation>车辆可以行驶</translation>
    </message>
    <message>
        <source>Motor vehicles only</source>
        <translation>均为机动车</translation>
    </message>
    <message>
        <source>No drink or drugs suspected</source>
        <translation>无酒驾毒驾嫌疑</translation>
    </message>
    <message>
        <source>Plates genuine</source>
        <translation>号牌真实</translation>
    </message>
    <message>
        <source>No dangerous goods</source>
        <translation>无危险物品</translation>
    </message>
    <message>
        <source>Every party stayed</source>
        <translation>各方均在现场</translation>
    </message>
    <message>
        <source>Not caused on purpose</source>
        <translation>非故意制造</translation>
    </message>
    <message>
        <source>Inside the districts served</source>
        <translation>在服务辖区内</translation>
    </message>
    <message>
        <source>Plates and markings legible</source>
        <translation>号牌和标线清晰</translation>
    </message>
    <message>
        <source>Damage matches the account</source>
        <translation>车损与陈述相符</translation>
    </message>
    <message>
        <source>Not a duplicate</source>
        <translation>非重复案件</translation>
    </message>
    <message>
        <source>waiting to be sent</source>
        <translation>等待发送</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>queued at the operator</source>
        <translation>运营商排队中</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>已送达</translation>
    </message>
    <message>
        <source>not delivered</source>
        <translation>未送达</translation>
    </message>
    <message>
        <source>gave up sending</source>
        <translation>已放弃发送</translation>
    </message>
</context>
<context>
    <name>RingingCalls</name>
    <message>
        <source>Waiting</source>
        <translation>等待</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>For</source>
        <translation>转给</translation>
    </message>
    <message>
        <source>seat {seat}</source>
        <translation>席位 {seat}</translation>
    </message>
    <message>
        <source>{target} (transferred by {who})</source>
        <translation>{target}（由 {who} 转来）</translation>
    </message>
</context>
<context>
    <name>SanctionDialog</name>
    <message>
        <source>Sanction overdue complaints</source>
        <translation>惩戒超期投诉</translation>
    </message>
    <message>
        <source>These insurers did not pay by the deadline. Sanctioning puts each plate on the checkpoint watch list, records the fine and notifies the credit bureau; it happens once per complaint.</source>
        <translation>以下保险公司未在期限内赔付。惩戒将把各号牌列入卡口布控、记录罚款并通报征信机构；每件投诉只惩戒一次。</translation>
    </message>
    <message>
        <source>{plate} · {insurer} · case {case_no} · payment was due {due}</source>
        <translation>{plate} · {insurer} · 案件{case_no} · 赔付期限{due}</translation>
    </message>
    <message>
        <source> yuan</source>
        <translation> 元</translation>
    </message>
    <message>
        <source>Fine each ({low}–{high} yuan)</source>
        <translation>每件罚款（{low}–{high}元）</translation>
    </message>
    <message>
        <source>Sanction (Enter)</source>
        <translation>惩戒（Enter）</translation>
    </message>
</context>
<context>
    <name>SeatPanel</name>
    <message>
        <source>{position} seat</source>
        <translation>{position}席位</translation>
    </message>
    <message>
        <source>No case selected</source>
        <translation>未选择案件</translation>
    </message>
    <message>
        <source>Reason (required for some steps)</source>
        <translation>原因（部分环节必填）</translation>
    </message>
    <message>
        <source>Claim (F2 takes next)</source>
        <translation>领取 (F2 领取下一件)</translation>
    </message>
    <message>
        <source>Release (Esc)</source>
        <translation>释放 (Esc)</translation>
    </message>
    <message>
        <source>Next steps</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Case {case_no} · {state}</source>
        <translation>案件 {case_no} · {state}</translation>
    </message>
    <message>
        <source>Needs a reason</source>
        <translation>须填写原因</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>已完成。</translation>
    </message>
</context>
<context>
    <name>SeatSession</name>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Loading the case queue…</source>
        <translation>正在加载案件列表…</translation>
    </message>
    <message>
        <source>Letter and photos</source>
        <translation>认定书与照片</translation>
    </message>
    <message>
        <source>Checkpoint hits</source>
        <translation>卡口报警</translation>
    </message>
    <message>
        <source>Situation map</source>
        <translation>态势图</translation>
    </message>
    <message>
        <source>{count} cases loaded</source>
        <translation>已加载 {count} 件案件</translation>
    </message>
    <message>
        <source>Triage</source>
        <translation>接警研判</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>在线审核</translation>
    </message>
    <message>
        <source>Determination</source>
        <translation>在线认定</translation>
    </message>
    <message>
        <source>Camera wall</source>
        <translation>视频墙</translation>
    </message>
    <message>
        <source>Photos and place</source>
        <translation>照片与地点</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <source>The case facts you typed are not saved. Discard them?</source>
        <translation>您填写的案件信息尚未保存，要放弃这些修改吗？</translation>
    </message>
    <message>
        <source>No case is waiting for your position.</source>
        <translation>本岗位暂无待办案件。</translation>
    </message>
    <message>
        <source>You took case {case_no}.</source>
        <translation>您已领取案件 {case_no}。</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in to Hall Console</source>
        <translation>登录大厅工作台</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Seat</source>
        <translation>席位</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Police–insurer linkage hall</source>
        <translation>警保联动指挥中心</translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <source>Enter the name of this seat.</source>
        <translation>请输入本席位名称。</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
<context>
    <name>SituationMap</name>
    <message>
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Dispatched / en route</source>
        <translation>已派遣 / 在途</translation>
    </message>
    <message>
        <source>On scene / towing</source>
        <translation>到场 / 拖移中</translation>
    </message>
    <message>
        <source>Returning</source>
        <translation>返回中</translation>
    </message>
    <message>
        <source>available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>dispatched</source>
        <translation>已派遣</translation>
    </message>
    <message>
        <source>en route</source>
        <translation>在途</translation>
    </message>
    <message>
        <source>on scene</source>
        <translation>已到场</translation>
    </message>
    <message>
        <source>towing</source>
        <translation>拖移中</translation>
    </message>
    <message>
        <source>returning</source>
        <translation>返回中</translation>
    </message>
    <message>
        <source>Situation map</source>
        <translation>态势图</translation>
    </message>
    <message>
        <source>N</source>
        <translation>北</translation>
    </message>
    <message>
        <source>Units (%1)</source>
        <translation>救援力量（%1）</translation>
    </message>
    <message>
        <source>Open cases (%1)</source>
        <translation>未结案件（%1）</translation>
    </message>
    <message>
        <source>Cameras (%1)</source>
        <translation>摄像机（%1）</translation>
    </message>
    <message>
        <source>Waiting for rescue</source>
        <translation>等待救援</translation>
    </message>
    <message>
        <source>Other open case</source>
        <translation>其他未结案件</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation>…… 另有 %1 个</translation>
    </message>
    <message>
        <source>Click a marker, or Tab then Enter</source>
        <translation>点击标记，或按 Tab 选择、Enter 打开</translation>
    </message>
    <message>
        <source>%1 km</source>
        <translation>%1 公里</translation>
    </message>
    <message>
        <source>%1 m</source>
        <translation>%1 米</translation>
    </message>
</context>
<context>
    <name>StepClock</name>
    <message>
        <source>Review</source>
        <translation>审核</translation>
    </message>
    <message>
        <source>Determination</source>
        <translation>认定</translation>
    </message>
    <message>
        <source>Insurer acknowledgement</source>
        <translation>保险确认</translation>
    </message>
</context>
<context>
    <name>TextEntryDialog</name>
    <message>
        <source>Record (Ctrl+Enter)</source>
        <translation>登记（Ctrl+Enter）</translation>
    </message>
</context>
<context>
    <name>TriageForm</name>
    <message>
        <source>Anyone injured or killed?</source>
        <translation>是否有人受伤或死亡？</translation>
    </message>
    <message>
        <source>A driver suspected of drink or drugs?</source>
        <translation>是否有驾驶人涉嫌酒驾或毒驾？</translation>
    </message>
    <message>
        <source>A vehicle without plates, or plates suspect?</source>
        <translation>是否有车辆无号牌或号牌可疑？</translation>
    </message>
    <message>
        <source>Dangerous goods on board?</source>
        <translation>是否载有危险物品？</translation>
    </message>
    <message>
        <source>Has a party left the scene?</source>
        <translation>是否有当事人驶离现场？</translation>
    </message>
    <message>
        <source>Crash caused on purpose?</source>
        <translation>是否涉嫌故意制造事故？</translation>
    </message>
    <message>
        <source>Road, direction, landmark</source>
        <translation>道路、方向、参照物</translation>
    </message>
    <message>
        <source>Vehicles</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Plate, e.g. 鲁E12345</source>
        <translation>号牌，如 鲁E12345</translation>
    </message>
    <message>
        <source>Can move</source>
        <translation>能否移动</translation>
    </message>
    <message>
        <source>Vehicle {n}</source>
        <translation>车辆 {n}</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>询问事项</translation>
    </message>
    <message>
        <source>What the caller says</source>
        <translation>来电人陈述</translation>
    </message>
    <message>
        <source>Reason for escalating or referring offline</source>
        <translation>转现场或转线下的原因</translation>
    </message>
    <message>
        <source>Guidance SMS ({key})</source>
        <translation>引导短信（{key}）</translation>
    </message>
    <message>
        <source>Escalate to police ({key})</source>
        <translation>转现场民警（{key}）</translation>
    </message>
    <message>
        <source>Refer offline</source>
        <translation>转线下处理</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Vehicles involved</source>
        <translation>涉事车辆数</translation>
    </message>
    <message>
        <source>Vehicle {n}: {why}</source>
        <translation>车辆 {n}：{why}</translation>
    </message>
    <message>
        <source>Case {case_no}</source>
        <translation>案件 {case_no}</translation>
    </message>
    <message>
        <source>Save ({key})</source>
        <translation>保存（{key}）</translation>
    </message>
    <message>
        <source>Triage of the call from {phone}</source>
        <translation>来电 {phone} 的接警研判</translation>
    </message>
    <message>
        <source>Answer a call to start triage</source>
        <translation>接听来电后开始研判</translation>
    </message>
    <message>
        <source>Open case ({key})</source>
        <translation>建立案件（{key}）</translation>
    </message>
    <message>
        <source>Keep asking: questions open</source>
        <translation>继续询问：尚有事项未确认</translation>
    </message>
    <message>
        <source>Fast handling possible: send the guidance SMS ({key})</source>
        <translation>可快处：发送引导短信（{key}）</translation>
    </message>
    <message>
        <source>Not for fast handling: escalate to on-scene police ({key})</source>
        <translation>不适用快处：转现场民警（{key}）</translation>
    </message>
    <message>
        <source>Not for online handling: refer offline</source>
        <translation>不适用线上处理：转线下处理</translation>
    </message>
    <message>
        <source>Outside online service hours: the case waits for the next opening</source>
        <translation>不在线上服务时间：案件等待下次开放时处理</translation>
    </message>
    <message>
        <source>Checked at review: {n} items (licences, registration, insurance)</source>
        <translation>审核时核验：{n} 项（驾驶证、行驶证、保险）</translation>
    </message>
    <message>
        <source>Type the place of the accident first.</source>
        <translation>请先填写事故地点。</translation>
    </message>
    <message>
        <source>Open the case first.</source>
        <translation>请先建立案件。</translation>
    </message>
    <message>
        <source>Type the reason for escalating.</source>
        <translation>请填写转现场的原因。</translation>
    </message>
    <message>
        <source>Type the reason for referring offline.</source>
        <translation>请填写转线下的原因。</translation>
    </message>
</context>
<context>
    <name>UnitLogDialog</name>
    <message>
        <source>Log of {unit}</source>
        <translation>{unit} 的状态记录</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>From</source>
        <translation>原状态</translation>
    </message>
    <message>
        <source>To</source>
        <translation>新状态</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>救援申请</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>position report</source>
        <translation>位置报告</translation>
    </message>
    <message>
        <source>No move of this unit is on record yet.</source>
        <translation>该救援力量尚无状态记录。</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭（Esc）</translation>
    </message>
</context>
<context>
    <name>UnmaskDialog</name>
    <message>
        <source>Show a party&apos;s personal data</source>
        <translation>查看当事人个人信息</translation>
    </message>
    <message>
        <source>Party {letter} {name} {plate}</source>
        <translation>{letter}方 {name} {plate}</translation>
    </message>
    <message>
        <source>Why the numbers must be shown, e.g. the complainant asks about the case</source>
        <translation>须显示完整号码的原因，例如投诉人来电询问案件</translation>
    </message>
    <message>
        <source>The reason is recorded with your name in the case&apos;s audit trail.</source>
        <translation>原因将连同您的姓名记入案件审计日志。</translation>
    </message>
    <message>
        <source>Personal data</source>
        <translation>个人信息</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <source>Driving licence number</source>
        <translation>驾驶证号</translation>
    </message>
    <message>
        <source>Show (Enter)</source>
        <translation>显示（Enter）</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭（Esc）</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>This case has no party on record.</source>
        <translation>本案没有登记当事人。</translation>
    </message>
    <message>
        <source>Personal data of party {letter}</source>
        <translation>{letter}方个人信息</translation>
    </message>
</context>
</TS>
