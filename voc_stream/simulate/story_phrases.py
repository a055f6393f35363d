"""What one customer says along an escalation, and along the look-alikes that must not alert.

``UNANSWERED`` is the public post's point: the earlier contact went nowhere, in
an annoyed customer's words; it is joined to a risk complaint, so the post reads
as a complaint whatever the model makes of the rest. ``CHASERS`` start a second
or third private complaint. ``FIXED`` is the survey after a fix (5 stars) and
``PRAISE`` a public thank-you: both must read as no complaint, or a customer who
was helped would look unanswered. Slots: ``{n}`` a small number, ``{ch}`` the
channel the customer tried first.
"""

from __future__ import annotations

#: Private channel -> how a customer names it in a post.
CHANNEL_WORDS: dict[str, str] = {
    "hotline": "客服电话", "chat": "在线客服", "email": "邮件", "ticket": "工单", "app_feedback": "App里的反馈",
    "survey": "客服",
}

UNANSWERED: tuple[str, ...] = (
    "打了{n}次客服电话都没人管,只能发出来了", "投诉一周了没有任何处理", "{ch}反映了{n}次,到现在没人理",
    "找了客服{n}次,每次都说会反馈,然后就没下文了", "工单提了{n}天,到现在都没人联系我",
    "私下沟通没用,只能来这里曝光", "客服踢皮球,问题拖着不解决", "电话里答应当天给答复,到现在毫无动静",
    "早就投诉过了,客服只会说抱歉,问题一点没解决", "{ch}找了好几次,石沉大海", "售后一直推脱,投诉无门,太气人了",
    "之前已经投诉过,到现在也没人给个说法", "客服说加急处理,结果等了{n}天什么都没变",
    "走正常渠道根本没用,不闹大就没人管是吧", "{ch}回复全是模板话术,敷衍到家", "说好回电,等了{n}天电话都没一个",
    "私下联系了{n}次都被敷衍,没办法才公开说", "官方客服让我等通知,等到现在也没消息",
)
#: How a public post around ``UNANSWERED`` begins and ends.
PUBLIC_HEADS: tuple[str, ...] = ("", "", "", "@官方 ", "曝光一下,", "实在忍不了了,", "大家评评理,", "#维权# ")
PUBLIC_TAILS: tuple[str, ...] = ("", "", "", "!", "!!!", ",气死了", ",必须给个说法", ",大家避雷", ",太失望了")

#: The second and third private complaint: the customer is chasing the first.
CHASERS: tuple[str, ...] = (
    "第{n}次反映了,", "上次说会处理,到现在没消息,", "还是之前那个问题,", "再问一次,", "催一下,之前的投诉没人回,",
    "又来了,", "之前反映的还没解决,",
)

#: The survey answer of a customer whose complaint was fixed (sent with 5 stars).
FIXED: tuple[str, ...] = (
    "问题已经解决了,谢谢", "已经处理好了,很满意", "售后上门修好了,感谢", "退款已经到账了,谢谢跟进,很满意",
    "客服跟进得很及时,已经解决了,满意", "处理得很快,辛苦了", "已经给我换了新的,谢谢", "问题解决了,服务很好",
)

#: A public thank-you after a complaint: no complaint at all, whatever the earlier contact was about.
PRAISE: tuple[str, ...] = (
    "上次反映的事客服很快就帮我处理好了,点赞", "客服跟进得很及时,服务很好", "售后很负责,处理得又快又好",
    "这次的售后体验很好,耐心又专业", "第一次遇到这么靠谱的售后,好评", "负责人亲自打电话道歉,还送了券,很满意",
    "服务态度很好,解决得很快,会继续支持", "客服小姐姐很耐心,问题很快就解决了,谢谢", "处理速度超出预期,给个大大的赞",
)
