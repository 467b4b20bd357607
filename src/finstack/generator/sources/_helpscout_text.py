"""Sentence catalogues behind the Help Scout conversation texts.

Messages are composed from these parts (greeting, opener, detail, tone line,
closing), then slots such as ``{amount}`` are filled per row, so the corpus has
several hundred distinct sentences: enough signal for a TF-IDF tagger (the
openers, details and answers are theme-specific) and for VADER sentiment (the
tone lines are clearly positive, neutral or negative).
"""

from __future__ import annotations

THEMES = ("kyc", "withdrawal", "interest", "login", "deposit", "isa", "complaint")

# (theme, subtopic, subjects, customer openers, agent answers)
SUBTOPICS: list[tuple[str, str, list[str], list[str], list[str]]] = [
    (
        "kyc",
        "doc_rejected",
        [
            "My ID was rejected",
            "Verification failed - passport",
            "Why was my document declined?",
            "Driving licence not accepted",
        ],
        [
            "I uploaded my {doc} for verification and it was rejected straight away.",
            "Your app says my {doc} could not be verified but the photo was perfectly clear.",
            "I have tried three times to upload my {doc} and every time the identity check fails.",
            "Can you tell me why my {doc} was declined? I need to get my account verified.",
            "The verification keeps saying the document is unreadable, I used my {doc}.",
            "My identity verification was rejected and I don't understand what is wrong with my {doc}.",
        ],
        [
            "I've had a look at your verification and the image of your {doc} was cropped, so the check could not read the expiry date.",
            "Our identity partner flagged glare on the photo of your {doc}, which is why it was declined.",
            "The name on your {doc} did not match the name on your account, so the verification was rejected.",
            "Your {doc} had expired on the date of the check, which is the reason it was not accepted.",
        ],
    ),
    (
        "kyc",
        "verification_pending",
        [
            "Verification still pending",
            "How long does KYC take?",
            "Account not verified yet",
            "Still waiting for approval",
        ],
        [
            "I submitted my documents {days} days ago and my account still says verification pending.",
            "How long does the identity check normally take? Mine has been pending since {date}.",
            "My account is stuck on 'checking your details' and I can't add money until it is verified.",
            "I completed the KYC steps on {date} but nothing has happened since.",
            "Is there a problem with my verification? It has been pending for {days} days.",
            "I sent a selfie and my {doc} but the app still shows the verification in progress.",
        ],
        [
            "Your verification was in our manual review queue, and I've asked the compliance team to prioritise it.",
            "Some checks need a manual review by our compliance team, which can take up to {days} working days.",
            "I can see your documents arrived safely and the review should complete within 48 hours.",
            "The automated check could not confirm your address, so a colleague is reviewing it by hand.",
        ],
    ),
    (
        "kyc",
        "address_proof",
        [
            "Proof of address",
            "Which documents count as proof of address?",
            "Address verification",
            "Bank statement as proof of address?",
        ],
        [
            "You asked me for proof of address but I only have paperless bills, will a PDF statement do?",
            "Which documents can I use to prove my address? I moved house recently.",
            "I uploaded a council tax bill as proof of address, is that acceptable?",
            "My address check failed because I've just moved, what else can I send?",
            "Do you accept a {bank} bank statement as proof of address?",
            "The app keeps asking me for proof of address even though I sent a utility bill.",
        ],
        [
            "A bank statement or utility bill dated within the last three months is fine, including PDF downloads.",
            "We accept council tax bills, utility bills and bank statements that show your full name and current address.",
            "Your utility bill was older than three months, so please upload a more recent one.",
            "Once you upload a recent statement from {bank} the address check will be completed.",
        ],
    ),
    (
        "withdrawal",
        "delay",
        [
            "Withdrawal not received",
            "Where is my money?",
            "Withdrawal delayed",
            "Withdrawal of {amount} still pending",
        ],
        [
            "I requested a withdrawal of {amount} on {date} and it still hasn't reached my bank account.",
            "My withdrawal has been showing as processing for {days} days now.",
            "Where is my withdrawal? The app says it was sent but {bank} has nothing.",
            "I withdrew {amount} from my account and was told it would arrive the next working day, it has not.",
            "Can you check on my withdrawal reference {ref}? It is taking much longer than expected.",
            "I need the {amount} I withdrew for a house deposit and it has not arrived yet.",
        ],
        [
            "Your withdrawal of {amount} was sent by Faster Payments on {date}, reference {ref}.",
            "Withdrawals requested after 3pm are processed the next working day, so yours was sent this morning.",
            "The payment was held for a routine security check, which is now complete, and the money is on its way.",
            "I've traced your withdrawal and {bank} received it at 10:14 today, so it should show in your balance shortly.",
        ],
    ),
    (
        "withdrawal",
        "limits",
        [
            "Withdrawal limit",
            "Can I withdraw more than the daily limit?",
            "Maximum withdrawal amount",
            "Limit on withdrawals",
        ],
        [
            "Is there a limit on how much I can withdraw in one day? I tried to take out {amount}.",
            "The app won't let me withdraw more than {amount}, why is there a limit?",
            "I want to withdraw my whole balance but I keep hitting a limit.",
            "Why can I only withdraw part of my money from {product}?",
            "What is the maximum withdrawal per day? I need {amount} this week.",
            "I got an error saying the withdrawal exceeds my limit.",
        ],
        [
            "The daily withdrawal limit is £25,000 for security reasons, and you can make another withdrawal tomorrow.",
            "Money invested in {product} needs to be sold on the secondary market before it can be withdrawn.",
            "Your available balance is lower than your total balance because some money is still invested in loans.",
            "I've raised a one-off limit increase so you can withdraw {amount} today.",
        ],
    ),
    (
        "withdrawal",
        "wrong_account",
        [
            "Change my bank account",
            "Withdrawal to the wrong account",
            "Update bank details",
            "New bank account for withdrawals",
        ],
        [
            "I have closed my old bank account, how do I change where withdrawals are paid?",
            "My withdrawal went to my old {bank} account which is now closed.",
            "How do I update my bank details? I want withdrawals to go to my new account.",
            "I entered the wrong sort code for withdrawals, can you help me fix it?",
            "Can I withdraw to a different bank account from the one I deposited from?",
            "The app only shows my old bank account for withdrawals.",
        ],
        [
            "For security, withdrawals can only go to a bank account in your name, and you can add a new one under Settings.",
            "If the old account is closed, {bank} will return the payment to us within {days} working days and we will resend it.",
            "I've removed the old bank details from your account so you can add the new ones.",
            "Once the new account passes our confirmation of payee check you can withdraw to it.",
        ],
    ),
    (
        "interest",
        "rate_change",
        [
            "Interest rate change",
            "Why did my rate go down?",
            "New interest rate on {product}",
            "Rate change question",
        ],
        [
            "I received an email saying the rate on {product} is dropping from {old_rate} to {rate}.",
            "Why has the interest rate on my {product} gone down?",
            "When does the new interest rate of {rate} apply to my existing money?",
            "Does the rate change affect money I've already invested in {product}?",
            "I chose {product} because of the {old_rate} rate and now it has changed.",
            "Is the new {rate} rate fixed or will it change again?",
        ],
        [
            "The new rate of {rate} applies from {date}, and money already lent out keeps its original rate until the loans repay.",
            "Rates on {product} follow the Bank of England base rate, which is why it moved from {old_rate} to {rate}.",
            "Your existing fixed note keeps its {old_rate} rate until maturity; only new investments get {rate}.",
            "We give at least 14 days notice of any rate change, and you can withdraw without penalty in that time.",
        ],
    ),
    (
        "interest",
        "payment_date",
        [
            "Interest payment missing",
            "When is interest paid?",
            "No interest this month",
            "Interest payment date",
        ],
        [
            "I haven't received my monthly interest payment on {product} this month.",
            "When is interest paid on {product}? I expected it on {date}.",
            "My interest payment looks lower than usual, can you explain?",
            "The interest for last month has not appeared in my account.",
            "What day of the month should interest be credited?",
            "I was expecting around {amount} in interest and received less.",
        ],
        [
            "Interest is paid on the first working day of each month, so this month's payment arrives on {date}.",
            "The interest was credited to your {product} balance rather than paid out, because reinvestment is switched on.",
            "Last month had fewer days and one borrower repaid early, which is why the interest was a little lower.",
            "I can see interest of {amount} was credited today.",
        ],
    ),
    (
        "interest",
        "tax_statement",
        [
            "Annual tax statement",
            "Interest statement for HMRC",
            "Tax certificate",
            "Statement for self assessment",
        ],
        [
            "I need a statement of interest earned for my self assessment tax return.",
            "Where can I download my annual tax statement for {tax_year}?",
            "My accountant needs a certificate of interest paid in {tax_year}.",
            "Do you report the interest I earn to HMRC?",
            "Is the interest on {product} paid gross or is tax deducted?",
            "Can you send me an interest statement for the last tax year?",
        ],
        [
            "Your {tax_year} tax statement is under Documents in the app and on the website.",
            "Interest is paid gross, so you declare it on your self assessment if it is above your personal savings allowance.",
            "I've emailed you the annual statement for {tax_year} as a PDF.",
            "Interest earned inside an ISA is tax free and does not need to be declared.",
        ],
    ),
    (
        "login",
        "twofa",
        [
            "Two factor code not arriving",
            "2FA problem",
            "Can't get verification code",
            "Lost my phone - 2FA",
        ],
        [
            "I'm not receiving the two factor authentication code by text message.",
            "I got a new phone and now I can't log in because of two factor authentication.",
            "The 2FA code says it is invalid every time I enter it.",
            "My authenticator app was deleted and I'm locked out of my account.",
            "The SMS verification code never arrives, I've tried {days} times.",
            "I changed my mobile number and can't receive the login code anymore.",
        ],
        [
            "I've reset the two factor authentication on your account, so you can set it up again on your new phone.",
            "SMS codes can be delayed by some networks, and the authenticator app option is more reliable.",
            "Please check the time on your phone is set automatically, as the codes depend on the clock.",
            "After a quick security check I've updated your mobile number, and new codes will go there.",
        ],
    ),
    (
        "login",
        "password_reset",
        [
            "Password reset email not received",
            "Can't reset my password",
            "Forgot password",
            "Reset link expired",
        ],
        [
            "I asked for a password reset but the email never arrived.",
            "The password reset link says it has expired as soon as I click it.",
            "I forgot my password and the reset page keeps failing.",
            "I've reset my password twice and it still says incorrect password.",
            "The reset email went to my old address, how can I change my password?",
            "Your password reset is not working on the app.",
        ],
        [
            "Reset links expire after 30 minutes, so I've sent you a fresh one just now.",
            "The reset email sometimes lands in spam or promotions folders, so please check there.",
            "I've cleared the lock on your account, so the next reset link will work.",
            "Please make sure you open the link on the same device you requested it from.",
        ],
    ),
    (
        "login",
        "locked_account",
        [
            "Account locked",
            "Locked out of my account",
            "Too many login attempts",
            "Account suspended?",
        ],
        [
            "My account has been locked after too many login attempts.",
            "I can't log in, the app says my account is locked for security reasons.",
            "Why has my account been suspended? I can't see my investments.",
            "I keep getting an error when I try to log in on the website.",
            "The app crashes when I log in and I can't see my balance.",
            "I'm locked out and need to access my money urgently.",
        ],
        [
            "Your account was locked after five failed attempts, and I've unlocked it for you now.",
            "There was a problem with the latest app version, and an update released today fixes the login crash.",
            "For your security we locked the account after a login from a new device; it is now unlocked.",
            "Please update the app to the latest version and log in again.",
        ],
    ),
    (
        "deposit",
        "card_declined",
        [
            "Card declined",
            "Debit card payment failed",
            "Can't add money with my card",
            "Deposit failed",
        ],
        [
            "I tried to add {amount} with my debit card ending {last4} and it was declined.",
            "My card payment keeps failing when I try to deposit.",
            "Why was my deposit of {amount} declined? My card works everywhere else.",
            "The app says payment failed but {bank} shows the money as pending.",
            "I can't add money to my account, the card is rejected each time.",
            "My deposit failed at the 3D Secure step.",
        ],
        [
            "The payment was declined by {bank}, often because of a daily card limit, so a bank transfer may be easier.",
            "Credit cards are not accepted for deposits, only debit cards in your own name.",
            "The pending amount at {bank} is an authorisation that will drop off within {days} days.",
            "The 3D Secure check timed out, so please try again and approve it in your banking app.",
        ],
    ),
    (
        "deposit",
        "transfer_missing",
        [
            "Bank transfer not showing",
            "Deposit missing",
            "Money sent but not in account",
            "Transfer of {amount} not credited",
        ],
        [
            "I sent {amount} by bank transfer on {date} and it is not showing in my account.",
            "My bank transfer left {bank} yesterday but my balance has not changed.",
            "I made a deposit using my reference {ref} and it still hasn't arrived.",
            "Where is my deposit? I transferred {amount} two days ago.",
            "I forgot to add the payment reference to my transfer, what happens now?",
            "My transfer has not been credited and I want to invest before the offer ends.",
        ],
        [
            "I found your transfer of {amount}; it arrived without the reference, so I've matched it to your account manually.",
            "Transfers usually arrive within two hours, and yours was credited at 09:32 today.",
            "Please send us a screenshot of the payment from {bank} so we can trace it.",
            "The transfer was sent from an account in a different name, so it was returned to the sender.",
        ],
    ),
    (
        "deposit",
        "deposit_limit",
        ["Deposit limit", "Maximum deposit", "How much can I add?", "Limit on adding money"],
        [
            "Is there a maximum amount I can deposit? I want to add {amount}.",
            "The app says I've reached my deposit limit for the month.",
            "Why can't I deposit more than {amount} by card?",
            "How much can I put into {product}?",
            "I want to move my savings of {amount} across, is there a limit?",
            "Can I add more than the card limit in one go?",
        ],
        [
            "Card deposits are limited to {amount} a day, but there is no limit on bank transfers.",
            "As a new customer you have a deposit limit in the first 30 days, which I've now reviewed and increased.",
            "{product} has no maximum balance, so you can transfer as much as you like by bank transfer.",
            "Large deposits may trigger a source of funds check, which is normal.",
        ],
    ),
    (
        "isa",
        "transfer_in",
        [
            "ISA transfer",
            "Transferring my ISA to you",
            "ISA transfer taking too long",
            "Status of my ISA transfer",
        ],
        [
            "I started an ISA transfer from {bank} on {date}, how long will it take?",
            "My ISA transfer of {amount} still hasn't arrived after {days} days.",
            "Can I transfer my old cash ISA into your Innovative Finance ISA?",
            "The ISA transfer form asks for a reference I don't have.",
            "Has my ISA transfer from {bank} started yet?",
            "I want to transfer previous years' ISA savings to Finstack.",
        ],
        [
            "ISA transfers must complete within 30 days, and we've chased {bank} for you today.",
            "Your ISA transfer of {amount} arrived this morning and is now in your Innovative Finance ISA.",
            "You can transfer previous years' ISA savings without affecting this year's allowance.",
            "We sent the transfer request to {bank} on {date} and are waiting for them to release the money.",
        ],
    ),
    (
        "isa",
        "allowance",
        [
            "ISA allowance question",
            "How much ISA allowance have I used?",
            "Over the ISA limit?",
            "ISA subscription",
        ],
        [
            "How much of my ISA allowance have I used this tax year?",
            "Can I pay into your ISA and a cash ISA in the same tax year?",
            "I think I've gone over my £20,000 ISA allowance, what should I do?",
            "Does the ISA allowance reset on 6 April?",
            "If I withdraw from my ISA can I put the money back in?",
            "Is my ISA flexible?",
        ],
        [
            "You've subscribed {amount} this tax year, leaving the rest of your £20,000 allowance.",
            "Since April 2024 you can pay into more than one ISA of the same type in a tax year.",
            "Our Innovative Finance ISA is flexible, so money withdrawn can be replaced in the same tax year.",
            "The allowance resets on 6 April, and unused allowance does not carry over.",
        ],
    ),
    (
        "isa",
        "isa_withdrawal",
        ["Withdraw from my ISA", "Closing my ISA", "ISA withdrawal", "Taking money out of the ISA"],
        [
            "How do I withdraw money from my ISA without losing the tax benefits?",
            "I want to close my ISA and move the money to my bank.",
            "Why does my ISA withdrawal take longer than a normal withdrawal?",
            "Can I withdraw part of my ISA balance?",
            "I need {amount} from my ISA urgently.",
            "What happens to the interest if I close my ISA?",
        ],
        [
            "You can withdraw part of your ISA at any time, and interest earned stays tax free.",
            "ISA money lent out has to be sold first, which usually takes {days} working days.",
            "If you close the ISA, interest up to the closing date is paid tax free.",
            "I've started your ISA withdrawal of {amount}; it should arrive within two working days.",
        ],
    ),
    (
        "complaint",
        "money_back",
        [
            "Formal complaint",
            "I want my money back",
            "Complaint about my investment",
            "Complaint - unable to access funds",
        ],
        [
            "I want to make a formal complaint, I can't get my money out of {product}.",
            "I want all of my {amount} back immediately and I'm making a complaint.",
            "I was told I could access my money at any time, which is clearly not true.",
            "I'm raising a complaint about how my investment in {product} has been handled.",
            "This is a formal complaint about the losses on my account.",
            "I want a full refund of {amount} and an explanation in writing.",
        ],
        [
            "I'm sorry for the trouble, and I've logged your complaint under reference {ref}; you'll get a final response within eight weeks.",
            "I've passed your complaint to our complaints team, who will investigate and reply in writing.",
            "If you are not happy with our final response you can refer your complaint to the Financial Ombudsman Service.",
            "I've arranged for the {amount} to be returned to your bank account as a goodwill gesture.",
        ],
    ),
    (
        "complaint",
        "service_complaint",
        [
            "Complaint about customer service",
            "Poor service",
            "Nobody replies to my emails",
            "Complaint about response times",
        ],
        [
            "I've emailed {days} times and nobody has replied, this is appalling service.",
            "I want to complain about the way I was treated on the phone.",
            "Your support team keeps giving me different answers.",
            "I have been waiting {days} days for a reply and I'm extremely disappointed.",
            "Nobody has called me back as promised.",
            "The chat closed on me twice and nobody followed up.",
        ],
        [
            "I'm really sorry we didn't reply sooner, and I've logged this as a complaint under reference {ref}.",
            "I apologise for the mixed messages you received, and I'll be your single point of contact from now on.",
            "I've reviewed the call and I'm sorry for how it was handled; the feedback has been shared with the team.",
            "We have been receiving a high volume of messages, which is no excuse, and I'm sorry for the wait.",
        ],
    ),
    (
        "complaint",
        "account_closure",
        ["Close my account", "Delete my data", "GDPR request", "Account closure and data deletion"],
        [
            "Please close my account and delete all of my personal data under GDPR.",
            "I want my account closed and my data erased.",
            "I'm making a subject access request and then I want my data deleted.",
            "Close my account, I no longer want to use Finstack.",
            "I want you to remove my details from all your systems and stop emailing me.",
            "How do I close my account and get my remaining {amount} back?",
        ],
        [
            "I've started the closure of your account, and any remaining balance will be sent to your bank.",
            "We'll erase your personal data within 30 days, except what we must keep by law.",
            "I've unsubscribed you from all marketing emails and raised your deletion request.",
            "Your data deletion request has been logged under reference {ref}.",
        ],
    ),
]

# Extra theme-specific sentences a customer adds after the opener.
DETAILS: dict[str, list[str]] = {
    "kyc": [
        "My account number is {ref} if that helps.",
        "I used the camera in the app as instructed.",
        "I don't have a passport, only a {doc}.",
        "I'm trying to open an account so I can invest in {product}.",
        "The selfie step also failed twice.",
        "I've attached another photo of the document.",
    ],
    "withdrawal": [
        "The reference on the withdrawal was {ref}.",
        "My bank is {bank} and the account is in my name.",
        "I've never had a problem withdrawing before.",
        "The app shows the withdrawal as complete.",
        "I need the money for a bill due on {date}.",
        "I withdrew from {product}.",
    ],
    "interest": [
        "I hold about {amount} in {product}.",
        "I compared the rate with my bank and it is now lower.",
        "The interest is shown in the app but not in my statement.",
        "I reinvest my interest every month.",
        "My payment date used to be the 1st.",
        "The rate page on your website still shows {old_rate}.",
    ],
    "login": [
        "I'm using the iPhone app.",
        "I'm on Android and the app is up to date.",
        "I've tried on the website as well.",
        "My email address has not changed.",
        "I've cleared the cache and reinstalled the app.",
        "It worked fine until the last update.",
    ],
    "deposit": [
        "I used the reference {ref} on the transfer.",
        "The money has definitely left my {bank} account.",
        "My card ending {last4} is a Visa debit card.",
        "I wanted to invest it in {product}.",
        "I've got a screenshot from my banking app.",
        "This is my first deposit.",
    ],
    "isa": [
        "My previous ISA provider is {bank}.",
        "I'm a UK taxpayer.",
        "I opened the ISA on {date}.",
        "I also have a stocks and shares ISA elsewhere.",
        "The transfer amount was {amount}.",
        "I want to keep the tax-free wrapper.",
    ],
    "complaint": [
        "I have been a customer since {date}.",
        "I invested {amount} in {product}.",
        "I've already contacted you {days} times.",
        "My reference number is {ref}.",
        "I will be contacting the Financial Ombudsman if this is not sorted.",
        "I expect a written response.",
    ],
}

# Tone lines. Negative and positive lines are unambiguous for VADER.
TONE: dict[str, list[str]] = {
    "first_neg": [
        "This is unacceptable and I'm extremely frustrated.",
        "I'm really angry about this, it's ridiculous.",
        "Honestly this is a terrible experience.",
        "I'm very disappointed and worried about my money.",
        "This is the worst service I've had from any bank.",
        "I'm fed up with this, please sort it out today.",
        "Frankly this is a disgrace.",
        "I'm seriously considering moving my money elsewhere.",
        "This is stressful and completely unacceptable.",
        "I'm losing patience with this awful process.",
        "Very annoyed that this keeps happening.",
        "I'm shocked at how bad this is.",
    ],
    "first_neu": [
        "Could you please look into this for me?",
        "Please let me know what I need to do.",
        "Can you advise?",
        "I'd appreciate an update when you can.",
        "Please could you check?",
        "Let me know if you need anything else from me.",
        "What are the next steps?",
        "Can someone get back to me?",
    ],
    "first_pos": [
        "I love the app so far, just stuck on this one thing.",
        "Really happy with Finstack overall, great product.",
        "Your app is brilliant, thanks for any help.",
        "Thanks in advance, you've always been great.",
        "Really enjoying using the account so far.",
        "Great service as always, hope you can help.",
    ],
    "follow_neg": [
        "That doesn't help at all, I'm still stuck.",
        "This is still not resolved and I'm getting really annoyed.",
        "I've done exactly that and it still doesn't work, very frustrating.",
        "Why is this so difficult? Terrible.",
        "Still nothing. This is unacceptable.",
        "You keep sending the same useless reply.",
    ],
    "follow_neu": [
        "Thanks, I've done that now.",
        "OK, I've sent the information you asked for.",
        "Thanks for the reply, I've tried again.",
        "Please see the details below.",
        "I've attached what you asked for.",
        "Noted, I'll wait to hear back.",
        "I've checked and the details are correct.",
    ],
    "follow_pos": [
        "Thanks so much for the quick reply!",
        "Great, that's really helpful, thank you.",
        "Brilliant, thanks for explaining.",
        "Lovely, thanks for the help.",
        "Perfect, that makes sense now.",
    ],
    "final_pos": [
        "Thanks so much, sorted quickly!",
        "All working now, brilliant service, thank you.",
        "Amazing, thanks for your help, really appreciated.",
        "Perfect, that's all sorted, great support.",
        "Thank you, you've been really helpful and quick.",
        "Excellent, the money has arrived. Great job!",
        "Fantastic service, thanks for sorting this so fast.",
        "Thanks, I'm very happy with how this was handled.",
        "Wonderful, it works now. Thanks a lot!",
        "Great stuff, thanks for the fast response.",
    ],
    "final_neg": [
        "This is unacceptable, I want my money back.",
        "Terrible service, I'm closing my account.",
        "Still not fixed. I'm furious and I'll be complaining.",
        "Awful experience, I won't recommend you to anyone.",
        "This is a joke, I want my money back now.",
        "Appalling. I'm going to the ombudsman.",
        "Useless, nobody can give me a straight answer.",
        "I'm disgusted with how long this has taken.",
        "Worst customer service ever, really angry.",
        "I've had enough, this is ridiculous.",
    ],
    "final_neu": [
        "OK, thanks.",
        "Thanks for letting me know.",
        "Understood, thank you.",
        "Fine, I'll keep an eye on it.",
        "Received, thanks.",
    ],
}

CUSTOMER_GREETINGS = [
    "Hi",
    "Hello",
    "Hi there",
    "Hello Finstack",
    "Dear Sir or Madam",
    "Hi team",
    "Good morning",
    "Hey",
]
CUSTOMER_CLOSINGS = [
    "Thanks",
    "Many thanks",
    "Kind regards",
    "Regards",
    "Thank you",
    "Best wishes",
    "Cheers",
    "Thanks again",
]

AGENT_GREETINGS = [
    "Hi {name},",
    "Hello {name},",
    "Hi {name}, thanks for getting in touch.",
    "Dear {name},",
    "Hi {name}, thanks for your message.",
]
AGENT_EMPATHY: dict[str, list[str]] = {
    "neg": [
        "I'm really sorry for the frustration this has caused.",
        "I completely understand how stressful this must be, and I'm sorry.",
        "I'm sorry you've had such a poor experience with us.",
        "I apologise for the inconvenience and the wait.",
        "I understand why you're upset, and I want to get this fixed for you.",
        "Sorry this has been such a hassle.",
    ],
    "neu": [
        "Thanks for reaching out about this.",
        "Thanks for the details.",
        "Happy to help with this.",
        "Thanks for your patience while I looked into it.",
        "I've looked into this for you.",
    ],
    "pos": [
        "Thanks for the kind words, we really appreciate it!",
        "Great to hear you're enjoying Finstack.",
        "Thanks for being such a loyal customer.",
    ],
}
NEXT_STEPS: dict[str, list[str]] = {
    "kyc": [
        "Please upload a new photo in the app under Settings > Verification.",
        "Once that's done the check usually completes within a few minutes.",
        "You don't need to do anything else for now.",
        "I'll keep an eye on your verification and update you.",
    ],
    "withdrawal": [
        "You should see the money in your account within two hours.",
        "If it hasn't arrived by tomorrow, just reply to this email.",
        "You can track withdrawals under Activity in the app.",
        "I'll check again tomorrow morning to make sure it has landed.",
    ],
    "interest": [
        "You can see every interest payment under Activity > Interest.",
        "The current rates are always shown on the product page.",
        "I've added a note to your account in case you need to contact us again.",
        "Let me know if you'd like a breakdown of the payments.",
    ],
    "login": [
        "Please try logging in again now.",
        "For extra security we recommend using an authenticator app.",
        "If the problem comes back, reply with a screenshot of the error.",
        "You should be able to access your account straight away.",
    ],
    "deposit": [
        "Please try the deposit again and let me know how it goes.",
        "You'll find our bank details and your reference under Add money.",
        "The money is now available to invest.",
        "I'll watch out for the transfer and match it as soon as it arrives.",
    ],
    "isa": [
        "You can follow the transfer under ISA in the app.",
        "I'll update you as soon as we hear back from the other provider.",
        "Your allowance is shown on the ISA page in the app.",
        "Let me know if you have any other questions about your ISA.",
    ],
    "complaint": [
        "We'll write to you with our final response.",
        "You can read our complaints policy on our website.",
        "A member of the complaints team will contact you within five working days.",
        "I'll make sure this is escalated.",
    ],
}
AGENT_CLOSINGS = [
    "Best wishes",
    "Kind regards",
    "Thanks",
    "All the best",
    "Many thanks",
    "Warm regards",
]
HELP_LINKS: dict[str, tuple[str, str]] = {
    "kyc": ("https://help.finstack.co.uk/articles/verify-your-identity", "verifying your identity"),
    "withdrawal": ("https://help.finstack.co.uk/articles/withdrawals", "withdrawals & timings"),
    "interest": ("https://help.finstack.co.uk/articles/interest-rates", "how interest works"),
    "login": ("https://help.finstack.co.uk/articles/two-factor-authentication", "2FA & login"),
    "deposit": ("https://help.finstack.co.uk/articles/adding-money", "adding money"),
    "isa": ("https://help.finstack.co.uk/articles/innovative-finance-isa", "our IF ISA"),
    "complaint": ("https://www.finstack.co.uk/complaints", "complaints policy"),
}

# Internal notes (staff only). Theme-specific so the whole conversation stays on topic.
NOTES: dict[str, list[str]] = {
    "kyc": [
        "Checked in admin: document image blurry, asked customer to resubmit.",
        "Onfido report shows name mismatch, escalated to compliance.",
        "Manual KYC review requested, ticket {ref}.",
        "Customer is pending PEP screening, do not promise a date.",
    ],
    "withdrawal": [
        "Payment {ref} confirmed sent via FPS, bank side delay.",
        "Withdrawal held by fraud rules, released after review.",
        "Checked ledger: withdrawal of {amount} completed.",
        "Bank details changed recently, extra checks applied.",
    ],
    "interest": [
        "Interest accrual checked, matches the rate schedule.",
        "Reinvestment is switched on for this customer.",
        "Customer on legacy {old_rate} product, confirm with treasury.",
        "Tax statement regenerated for {tax_year}.",
    ],
    "login": [
        "2FA reset after ID&V on the phone.",
        "Account unlocked, no suspicious logins found.",
        "Known bug in app 4.12 login, engineering ticket open.",
        "Mobile number updated after security questions.",
    ],
    "deposit": [
        "Unreconciled transfer found in suspense account, matched manually.",
        "Card declined by issuer, code 05.",
        "Deposit limit raised after source of funds check.",
        "Returned transfer, third-party account.",
    ],
    "isa": [
        "ISA transfer chased with ceding provider {bank}.",
        "ISA subscription this year: {amount}.",
        "Flexible ISA withdrawal, allowance restored.",
        "Transfer form received, waiting for funds.",
    ],
    "complaint": [
        "Logged in complaints register as {ref}.",
        "FOS deadline tracked, final response due in 8 weeks.",
        "Goodwill payment of {amount} approved by team lead.",
        "Customer vulnerable? Check before replying.",
    ],
}
HANDOFF_NOTES = [
    "Passing to {team} as this needs their access.",
    "Reassigning to {team}, they own this process.",
    "{team}: can you take this one please?",
    "Handing over to {team} while I'm out this afternoon.",
    "Escalating to {team} for a second look.",
    "Moving to {team}, customer needs a specialist.",
]
FORWARD_NOTES = [
    "Forwarded to our banking partner for a payment trace.",
    "Forwarded to the identity verification provider.",
    "Forwarded to the ISA administrator.",
    "Forwarded to compliance for review.",
]
PHONE_INTROS = [
    "Customer called about this.",
    "Inbound call from the customer.",
    "Spoke to the customer on the phone.",
    "Call logged:",
]

RATING_COMMENTS: dict[str, list[str]] = {
    "great": [
        "Quick and helpful, thank you!",
        "Sorted straight away.",
        "Very friendly and clear.",
        "Excellent support.",
    ],
    "okay": ["Took a while but got there.", "Fine.", "Answered my question eventually."],
    "not good": [
        "Too slow.",
        "Didn't solve my problem.",
        "Had to chase several times.",
        "Unhelpful and slow.",
    ],
}

SPAM_SUBJECTS = [
    "Boost your SEO rankings today",
    "Partnership opportunity",
    "Invoice attached",
    "You have won a prize",
    "Guest post request",
]
SPAM_BODIES = [
    "We can get your website to the first page of Google in 30 days.",
    "Please find the attached invoice and pay within 24 hours.",
    "Congratulations! Click the link to claim your reward.",
    "We'd love to write a sponsored article for your blog.",
    "Cheap backlinks and traffic, reply for our price list.",
]

# Slot values.
DOCS = ["passport", "driving licence", "national identity card", "residence permit"]
BANKS = [
    "Barclays",
    "HSBC",
    "Lloyds",
    "NatWest",
    "Monzo",
    "Starling",
    "Nationwide",
    "Santander",
    "Halifax",
    "Revolut",
]
PRODUCTS = [
    "Lending Pool A",
    "Lending Pool C",
    "12-month Fixed Note",
    "Easy Access Cash",
    "Innovative Finance ISA",
]
