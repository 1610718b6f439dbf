window.YTD.tweets.part0 = [
  {
    "tweet": {
      "id_str": "100000000005535822",
      "id": "100000000005535822",
      "full_text": "New post: this flaky test deleted the release notes &gt; everything else https://t.co/fde68a2e #python",
      "created_at": "Sat Feb 17 02:35:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005530336",
      "id": "100000000005530336",
      "full_text": "I think the build refactored half the codebase. send coffee.",
      "created_at": "Sat Feb 17 00:27:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005520501",
      "id": "100000000005520501",
      "full_text": "@ci_bot the build rewrote half the codebase, it works on my machine",
      "created_at": "Fri Feb 16 23:27:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005514783",
      "id": "100000000005514783",
      "full_text": "New post: this flaky test broke half the codebase &gt; everything else https://t.co/2540d572 #python",
      "created_at": "Fri Feb 16 21:52:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005509541",
      "id": "100000000005509541",
      "full_text": "Why does a rogue semicolon always feel tests are green? A rogue semicolon refactored a memory leak.",
      "created_at": "Fri Feb 16 20:11:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005496696",
      "id": "100000000005496696",
      "full_text": "RT @local_radio: My linter broke three caches https://t.co/f85c3a6d",
      "created_at": "Fri Feb 16 18:28:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005489915",
      "id": "100000000005489915",
      "full_text": "Why does the build always feel send coffee? The build rewrote the release notes.",
      "created_at": "Fri Feb 16 16:36:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005481944",
      "id": "100000000005481944",
      "full_text": "I think my linter rewrote the on-call rota. it works on my machine.",
      "created_at": "Fri Feb 16 14:48:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005477693",
      "id": "100000000005477693",
      "full_text": "The staging server deleted half the codebase\n\nship it 🙌",
      "created_at": "Fri Feb 16 13:55:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005468876",
      "id": "100000000005468876",
      "full_text": "The staging server rewrote the release notes https://t.co/a2589c6f",
      "created_at": "Fri Feb 16 11:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005462973",
      "id": "100000000005462973",
      "full_text": "I think the build benchmarked the on-call rota. what a week.",
      "created_at": "Fri Feb 16 10:00:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005454557",
      "id": "100000000005454557",
      "full_text": "My linter refactored the release notes\n\ntests are green ✨",
      "created_at": "Fri Feb 16 08:43:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005443697",
      "id": "100000000005443697",
      "full_text": "Note to self: the staging server rewrote the on-call rota &lt;3",
      "created_at": "Fri Feb 16 07:34:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005435555",
      "id": "100000000005435555",
      "full_text": "@rubber_duck this flaky test deleted half the codebase, send coffee",
      "created_at": "Fri Feb 16 05:08:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005428540",
      "id": "100000000005428540",
      "full_text": "RT @news_desk: A rogue semicolon refactored half the codebase https://t.co/cde1c649",
      "created_at": "Fri Feb 16 03:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005424198",
      "id": "100000000005424198",
      "full_text": "The build deleted half the codebase https://t.co/f8c2a119",
      "created_at": "Fri Feb 16 02:42:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005414396",
      "id": "100000000005414396",
      "full_text": "Note to self: the build benchmarked the release notes &lt;3",
      "created_at": "Fri Feb 16 00:39:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005404822",
      "id": "100000000005404822",
      "full_text": "The staging server rewrote half the codebase https://t.co/eb8938a4",
      "created_at": "Thu Feb 15 23:14:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005394610",
      "id": "100000000005394610",
      "full_text": "My linter refactored the on-call rota #devlife",
      "created_at": "Thu Feb 15 21:16:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005392049",
      "id": "100000000005392049",
      "full_text": "A rogue semicolon deleted three caches https://t.co/1d8af04f",
      "created_at": "Thu Feb 15 19:22:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005383295",
      "id": "100000000005383295",
      "full_text": "New post: this flaky test rewrote half the codebase &gt; everything else https://t.co/ab1fdfa4 #oncall",
      "created_at": "Thu Feb 15 18:02:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005375743",
      "id": "100000000005375743",
      "full_text": "This flaky test broke three caches. tests are green!",
      "created_at": "Thu Feb 15 16:10:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005365554",
      "id": "100000000005365554",
      "full_text": "New post: the staging server refactored half the codebase &gt; everything else https://t.co/ef6da374 #oncall",
      "created_at": "Thu Feb 15 15:01:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005355961",
      "id": "100000000005355961",
      "full_text": "I think the staging server broke three caches. send coffee.",
      "created_at": "Thu Feb 15 13:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005352670",
      "id": "100000000005352670",
      "full_text": "RT @news_desk: My linter benchmarked the on-call rota https://t.co/1c98d428",
      "created_at": "Thu Feb 15 12:06:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005337781",
      "id": "100000000005337781",
      "full_text": "Note to self: the build broke a memory leak &lt;3",
      "created_at": "Thu Feb 15 10:00:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005333182",
      "id": "100000000005333182",
      "full_text": "Note to self: my linter refactored half the codebase &lt;3",
      "created_at": "Thu Feb 15 08:06:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005326300",
      "id": "100000000005326300",
      "full_text": "I think the build refactored three caches. tests are green.",
      "created_at": "Thu Feb 15 06:39:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005314764",
      "id": "100000000005314764",
      "full_text": "Today my linter benchmarked three caches &amp; I am it works on my machine 🔥",
      "created_at": "Thu Feb 15 04:55:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005310357",
      "id": "100000000005310357",
      "full_text": "This flaky test broke a memory leak. send coffee!",
      "created_at": "Thu Feb 15 03:44:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005301559",
      "id": "100000000005301559",
      "full_text": "Today this flaky test deleted three caches &amp; I am what a week 😅",
      "created_at": "Thu Feb 15 02:30:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005293887",
      "id": "100000000005293887",
      "full_text": "This flaky test broke half the codebase. tests are green!",
      "created_at": "Thu Feb 15 00:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005289603",
      "id": "100000000005289603",
      "full_text": "The staging server broke half the codebase https://t.co/0fd914ec",
      "created_at": "Wed Feb 14 22:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005277188",
      "id": "100000000005277188",
      "full_text": "@code_review a rogue semicolon benchmarked three caches, tests are green",
      "created_at": "Wed Feb 14 21:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005273842",
      "id": "100000000005273842",
      "full_text": "@ci_bot a rogue semicolon broke a memory leak, tests are green",
      "created_at": "Wed Feb 14 20:03:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005261711",
      "id": "100000000005261711",
      "full_text": "A rogue semicolon refactored half the codebase. what a week!",
      "created_at": "Wed Feb 14 17:34:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005254371",
      "id": "100000000005254371",
      "full_text": "RT @local_radio: A rogue semicolon benchmarked the release notes https://t.co/4ca00278",
      "created_at": "Wed Feb 14 16:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005246068",
      "id": "100000000005246068",
      "full_text": "A rogue semicolon deleted half the codebase https://t.co/ef37e948",
      "created_at": "Wed Feb 14 14:37:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005239158",
      "id": "100000000005239158",
      "full_text": "A rogue semicolon broke the on-call rota\n\nit works on my machine 🍞",
      "created_at": "Wed Feb 14 13:19:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005226811",
      "id": "100000000005226811",
      "full_text": "I think the build benchmarked the release notes. ship it.",
      "created_at": "Wed Feb 14 11:00:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005223725",
      "id": "100000000005223725",
      "full_text": "New post: the build refactored three caches &gt; everything else https://t.co/df2a8d59 #devlife",
      "created_at": "Wed Feb 14 10:06:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005213122",
      "id": "100000000005213122",
      "full_text": "New post: my linter rewrote three caches &gt; everything else https://t.co/79dda76b #devlife",
      "created_at": "Wed Feb 14 07:49:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005204302",
      "id": "100000000005204302",
      "full_text": "The build broke three caches #oncall",
      "created_at": "Wed Feb 14 06:19:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005199949",
      "id": "100000000005199949",
      "full_text": "New post: a rogue semicolon rewrote a memory leak &gt; everything else https://t.co/898065e1 #devlife",
      "created_at": "Wed Feb 14 04:53:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005193503",
      "id": "100000000005193503",
      "full_text": "Today my linter rewrote the on-call rota &amp; I am send coffee 🙌",
      "created_at": "Wed Feb 14 03:35:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005186454",
      "id": "100000000005186454",
      "full_text": "Why does this flaky test always feel what a week? This flaky test broke the release notes.",
      "created_at": "Wed Feb 14 01:20:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005178892",
      "id": "100000000005178892",
      "full_text": "A rogue semicolon broke the release notes\n\nit works on my machine 🌻",
      "created_at": "Wed Feb 14 00:34:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005169768",
      "id": "100000000005169768",
      "full_text": "Note to self: the build broke half the codebase &lt;3",
      "created_at": "Tue Feb 13 22:14:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005161912",
      "id": "100000000005161912",
      "full_text": "My linter deleted the release notes. tests are green!",
      "created_at": "Tue Feb 13 20:37:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005152602",
      "id": "100000000005152602",
      "full_text": "@rubber_duck the build benchmarked a memory leak, ship it",
      "created_at": "Tue Feb 13 19:10:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005143702",
      "id": "100000000005143702",
      "full_text": "I think a rogue semicolon refactored half the codebase. send coffee.",
      "created_at": "Tue Feb 13 18:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005136822",
      "id": "100000000005136822",
      "full_text": "My linter benchmarked half the codebase\n\nship it 🌻",
      "created_at": "Tue Feb 13 16:08:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005130289",
      "id": "100000000005130289",
      "full_text": "Note to self: a rogue semicolon deleted the on-call rota &lt;3",
      "created_at": "Tue Feb 13 14:05:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005123079",
      "id": "100000000005123079",
      "full_text": "New post: my linter deleted the on-call rota &gt; everything else https://t.co/cf4ccaea #oncall",
      "created_at": "Tue Feb 13 13:01:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005110033",
      "id": "100000000005110033",
      "full_text": "Today the build broke a memory leak &amp; I am tests are green 🍞",
      "created_at": "Tue Feb 13 11:11:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005103558",
      "id": "100000000005103558",
      "full_text": "The staging server broke the on-call rota https://t.co/2d7d4697",
      "created_at": "Tue Feb 13 09:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005098017",
      "id": "100000000005098017",
      "full_text": "My linter deleted half the codebase https://t.co/717fcf3d",
      "created_at": "Tue Feb 13 07:55:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005088865",
      "id": "100000000005088865",
      "full_text": "My linter deleted the on-call rota. what a week!",
      "created_at": "Tue Feb 13 06:52:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005083705",
      "id": "100000000005083705",
      "full_text": "Why does a rogue semicolon always feel it works on my machine? A rogue semicolon refactored three caches.",
      "created_at": "Tue Feb 13 04:24:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005074792",
      "id": "100000000005074792",
      "full_text": "I think a rogue semicolon refactored half the codebase. ship it.",
      "created_at": "Tue Feb 13 03:35:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005064022",
      "id": "100000000005064022",
      "full_text": "New post: this flaky test benchmarked a memory leak &gt; everything else https://t.co/0dcc94b7 #python",
      "created_at": "Tue Feb 13 01:57:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005058068",
      "id": "100000000005058068",
      "full_text": "RT @news_desk: My linter broke half the codebase https://t.co/72548cb9",
      "created_at": "Tue Feb 13 00:03:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005044617",
      "id": "100000000005044617",
      "full_text": "@rubber_duck the build refactored the on-call rota, tests are green",
      "created_at": "Mon Feb 12 22:24:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005040708",
      "id": "100000000005040708",
      "full_text": "Why does the staging server always feel send coffee? The staging server rewrote the release notes.",
      "created_at": "Mon Feb 12 20:54:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005033405",
      "id": "100000000005033405",
      "full_text": "This flaky test refactored a memory leak https://t.co/a73552ac",
      "created_at": "Mon Feb 12 19:23:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005027422",
      "id": "100000000005027422",
      "full_text": "The build refactored the on-call rota\n\nwhat a week 🙌",
      "created_at": "Mon Feb 12 17:19:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005014279",
      "id": "100000000005014279",
      "full_text": "@code_review the build rewrote three caches, what a week",
      "created_at": "Mon Feb 12 15:51:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005006254",
      "id": "100000000005006254",
      "full_text": "My linter rewrote the on-call rota\n\nwhat a week 🌻",
      "created_at": "Mon Feb 12 14:18:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000005004569",
      "id": "100000000005004569",
      "full_text": "The staging server benchmarked the on-call rota\n\nsend coffee 🔥",
      "created_at": "Mon Feb 12 12:08:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004990227",
      "id": "100000000004990227",
      "full_text": "https://t.co/abc123",
      "created_at": "Mon Feb 12 10:40:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004984836",
      "id": "100000000004984836",
      "full_text": "RT @weekly_digest: The build refactored a memory leak https://t.co/efb2ccf0",
      "created_at": "Mon Feb 12 08:54:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004979950",
      "id": "100000000004979950",
      "full_text": "The staging server benchmarked a memory leak https://t.co/9fc0ed4c",
      "created_at": "Mon Feb 12 07:48:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004966205",
      "id": "100000000004966205",
      "full_text": "#python 🙌",
      "created_at": "Mon Feb 12 05:44:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004963103",
      "id": "100000000004963103",
      "full_text": "Why does the build always feel tests are green? The build benchmarked half the codebase.",
      "created_at": "Mon Feb 12 04:05:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004953043",
      "id": "100000000004953043",
      "full_text": "New post: the build broke a memory leak &gt; everything else https://t.co/475f44a0 #devlife",
      "created_at": "Mon Feb 12 02:50:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004944146",
      "id": "100000000004944146",
      "full_text": "Why does the build always feel send coffee? The build broke half the codebase.",
      "created_at": "Mon Feb 12 01:33:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004936044",
      "id": "100000000004936044",
      "full_text": "This flaky test benchmarked the on-call rota https://t.co/9340b767",
      "created_at": "Mon Feb 12 00:00:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004928083",
      "id": "100000000004928083",
      "full_text": "#oncall 🙌",
      "created_at": "Sun Feb 11 22:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004920179",
      "id": "100000000004920179",
      "full_text": "RT @weekly_digest: A rogue semicolon deleted half the codebase https://t.co/359a70d5",
      "created_at": "Sun Feb 11 20:27:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004910610",
      "id": "100000000004910610",
      "full_text": "I think this flaky test benchmarked three caches. what a week.",
      "created_at": "Sun Feb 11 19:18:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004905139",
      "id": "100000000004905139",
      "full_text": "New post: the build rewrote a memory leak &gt; everything else https://t.co/58165ae8 #python",
      "created_at": "Sun Feb 11 17:39:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004896084",
      "id": "100000000004896084",
      "full_text": "My linter broke the release notes https://t.co/6c97eaa0",
      "created_at": "Sun Feb 11 16:04:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004888376",
      "id": "100000000004888376",
      "full_text": "I think the build rewrote three caches. send coffee.",
      "created_at": "Sun Feb 11 13:34:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004885073",
      "id": "100000000004885073",
      "full_text": "RT @news_desk: My linter rewrote a memory leak https://t.co/37635498",
      "created_at": "Sun Feb 11 11:52:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004871554",
      "id": "100000000004871554",
      "full_text": "The build benchmarked the release notes https://t.co/fc7e7627",
      "created_at": "Sun Feb 11 11:07:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004867635",
      "id": "100000000004867635",
      "full_text": "A rogue semicolon deleted a memory leak #python",
      "created_at": "Sun Feb 11 08:56:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004860481",
      "id": "100000000004860481",
      "full_text": "Note to self: my linter deleted a memory leak &lt;3",
      "created_at": "Sun Feb 11 07:45:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004853908",
      "id": "100000000004853908",
      "full_text": "RT @news_desk: The staging server refactored three caches https://t.co/b55d373a",
      "created_at": "Sun Feb 11 06:13:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004841389",
      "id": "100000000004841389",
      "full_text": "My linter rewrote the on-call rota. what a week!",
      "created_at": "Sun Feb 11 04:20:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004834585",
      "id": "100000000004834585",
      "full_text": "RT @weekly_digest: A rogue semicolon rewrote the on-call rota https://t.co/f8cdc0cf",
      "created_at": "Sun Feb 11 02:24:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004827365",
      "id": "100000000004827365",
      "full_text": "Why does this flaky test always feel it works on my machine? This flaky test broke the on-call rota.",
      "created_at": "Sun Feb 11 01:22:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004815620",
      "id": "100000000004815620",
      "full_text": "Why does this flaky test always feel ship it? This flaky test deleted three caches.",
      "created_at": "Sat Feb 10 23:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004813796",
      "id": "100000000004813796",
      "full_text": "A rogue semicolon broke half the codebase. what a week!",
      "created_at": "Sat Feb 10 22:07:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004801943",
      "id": "100000000004801943",
      "full_text": "New post: the staging server refactored three caches &gt; everything else https://t.co/7cfb9ec0 #devlife",
      "created_at": "Sat Feb 10 20:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004798619",
      "id": "100000000004798619",
      "full_text": "New post: the build broke a memory leak &gt; everything else https://t.co/caa151a0 #devlife",
      "created_at": "Sat Feb 10 18:56:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004789243",
      "id": "100000000004789243",
      "full_text": "RT @local_radio: The build rewrote three caches https://t.co/3c4afea8",
      "created_at": "Sat Feb 10 17:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004777267",
      "id": "100000000004777267",
      "full_text": "This flaky test deleted half the codebase\n\nwhat a week ✨",
      "created_at": "Sat Feb 10 15:04:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004769035",
      "id": "100000000004769035",
      "full_text": "Note to self: the build rewrote half the codebase &lt;3",
      "created_at": "Sat Feb 10 13:52:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004763028",
      "id": "100000000004763028",
      "full_text": "My linter refactored the on-call rota #oncall",
      "created_at": "Sat Feb 10 12:28:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004752586",
      "id": "100000000004752586",
      "full_text": "New post: my linter deleted three caches &gt; everything else https://t.co/4be4f1ea #python",
      "created_at": "Sat Feb 10 10:31:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004751011",
      "id": "100000000004751011",
      "full_text": "The staging server broke half the codebase. tests are green!",
      "created_at": "Sat Feb 10 08:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004742655",
      "id": "100000000004742655",
      "full_text": "I think this flaky test rewrote half the codebase. what a week.",
      "created_at": "Sat Feb 10 07:26:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004729421",
      "id": "100000000004729421",
      "full_text": "A rogue semicolon refactored the on-call rota #oncall",
      "created_at": "Sat Feb 10 06:08:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004724472",
      "id": "100000000004724472",
      "full_text": "This flaky test broke three caches\n\ntests are green 😅",
      "created_at": "Sat Feb 10 04:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004719164",
      "id": "100000000004719164",
      "full_text": "yes @code_review",
      "created_at": "Sat Feb 10 02:52:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004711172",
      "id": "100000000004711172",
      "full_text": "Why does a rogue semicolon always feel tests are green? A rogue semicolon rewrote half the codebase.",
      "created_at": "Sat Feb 10 00:55:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004696136",
      "id": "100000000004696136",
      "full_text": "I think my linter deleted a memory leak. it works on my machine.",
      "created_at": "Fri Feb 09 23:39:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004692696",
      "id": "100000000004692696",
      "full_text": "Why does the staging server always feel send coffee? The staging server deleted a memory leak.",
      "created_at": "Fri Feb 09 21:57:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004683574",
      "id": "100000000004683574",
      "full_text": "Today a rogue semicolon broke the on-call rota &amp; I am it works on my machine ✨",
      "created_at": "Fri Feb 09 20:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004678136",
      "id": "100000000004678136",
      "full_text": "The staging server rewrote three caches https://t.co/7cff022b",
      "created_at": "Fri Feb 09 18:10:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004670718",
      "id": "100000000004670718",
      "full_text": "@rubber_duck lol",
      "created_at": "Fri Feb 09 16:55:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004661260",
      "id": "100000000004661260",
      "full_text": "yes @ci_bot",
      "created_at": "Fri Feb 09 14:56:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004649767",
      "id": "100000000004649767",
      "full_text": "A rogue semicolon benchmarked the on-call rota\n\nwhat a week ✨",
      "created_at": "Fri Feb 09 13:52:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004645311",
      "id": "100000000004645311",
      "full_text": "This flaky test deleted half the codebase\n\nsend coffee 🔥",
      "created_at": "Fri Feb 09 11:55:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004640399",
      "id": "100000000004640399",
      "full_text": "Today the build deleted the release notes &amp; I am it works on my machine 🔥",
      "created_at": "Fri Feb 09 10:26:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004627547",
      "id": "100000000004627547",
      "full_text": "I think a rogue semicolon deleted the release notes. tests are green.",
      "created_at": "Fri Feb 09 08:46:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004620210",
      "id": "100000000004620210",
      "full_text": "This flaky test refactored half the codebase https://t.co/7b62c164",
      "created_at": "Fri Feb 09 07:16:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004613329",
      "id": "100000000004613329",
      "full_text": "This flaky test benchmarked the release notes\n\nwhat a week 💻",
      "created_at": "Fri Feb 09 05:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004608841",
      "id": "100000000004608841",
      "full_text": "The build rewrote the on-call rota. it works on my machine!",
      "created_at": "Fri Feb 09 04:10:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004599770",
      "id": "100000000004599770",
      "full_text": "RT @local_radio: My linter broke half the codebase https://t.co/957178e8",
      "created_at": "Fri Feb 09 01:41:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004591183",
      "id": "100000000004591183",
      "full_text": "@rubber_duck the build refactored the on-call rota, it works on my machine",
      "created_at": "Fri Feb 09 00:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004578089",
      "id": "100000000004578089",
      "full_text": "Note to self: this flaky test deleted three caches &lt;3",
      "created_at": "Thu Feb 08 22:40:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004572377",
      "id": "100000000004572377",
      "full_text": "A rogue semicolon broke the on-call rota\n\nsend coffee 🍞",
      "created_at": "Thu Feb 08 21:13:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004561757",
      "id": "100000000004561757",
      "full_text": "My linter broke three caches. ship it!",
      "created_at": "Thu Feb 08 19:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004559131",
      "id": "100000000004559131",
      "full_text": "Note to self: this flaky test benchmarked a memory leak &lt;3",
      "created_at": "Thu Feb 08 18:22:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004547038",
      "id": "100000000004547038",
      "full_text": "The staging server deleted a memory leak. send coffee!",
      "created_at": "Thu Feb 08 16:03:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004538429",
      "id": "100000000004538429",
      "full_text": "@ci_bot lol",
      "created_at": "Thu Feb 08 15:11:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004532629",
      "id": "100000000004532629",
      "full_text": "My linter benchmarked the release notes #python",
      "created_at": "Thu Feb 08 12:46:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004524361",
      "id": "100000000004524361",
      "full_text": "Why does my linter always feel send coffee? My linter rewrote the on-call rota.",
      "created_at": "Thu Feb 08 11:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004521241",
      "id": "100000000004521241",
      "full_text": "My linter broke half the codebase #devlife",
      "created_at": "Thu Feb 08 09:57:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004509925",
      "id": "100000000004509925",
      "full_text": "I think my linter refactored half the codebase. it works on my machine.",
      "created_at": "Thu Feb 08 08:28:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004500995",
      "id": "100000000004500995",
      "full_text": "My linter rewrote the on-call rota #devlife",
      "created_at": "Thu Feb 08 06:27:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004492604",
      "id": "100000000004492604",
      "full_text": "My linter rewrote three caches. it works on my machine!",
      "created_at": "Thu Feb 08 04:43:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004486266",
      "id": "100000000004486266",
      "full_text": "A rogue semicolon deleted half the codebase #python",
      "created_at": "Thu Feb 08 03:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004476003",
      "id": "100000000004476003",
      "full_text": "Why does a rogue semicolon always feel it works on my machine? A rogue semicolon deleted half the codebase.",
      "created_at": "Thu Feb 08 02:24:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004470342",
      "id": "100000000004470342",
      "full_text": "RT @weekly_digest: A rogue semicolon deleted the on-call rota https://t.co/08b41350",
      "created_at": "Wed Feb 07 23:49:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004465137",
      "id": "100000000004465137",
      "full_text": "Today the build deleted the release notes &amp; I am it works on my machine 💻",
      "created_at": "Wed Feb 07 22:27:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004454143",
      "id": "100000000004454143",
      "full_text": "Today a rogue semicolon benchmarked half the codebase &amp; I am tests are green 🙌",
      "created_at": "Wed Feb 07 21:19:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004442968",
      "id": "100000000004442968",
      "full_text": "I think the staging server broke the release notes. what a week.",
      "created_at": "Wed Feb 07 19:11:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004435964",
      "id": "100000000004435964",
      "full_text": "I think my linter refactored the release notes. what a week.",
      "created_at": "Wed Feb 07 18:15:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004427679",
      "id": "100000000004427679",
      "full_text": "The build broke half the codebase #oncall",
      "created_at": "Wed Feb 07 15:59:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004423458",
      "id": "100000000004423458",
      "full_text": "RT @weekly_digest: The staging server deleted the on-call rota https://t.co/44350024",
      "created_at": "Wed Feb 07 14:59:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004416392",
      "id": "100000000004416392",
      "full_text": "@rubber_duck the build rewrote the on-call rota, ship it",
      "created_at": "Wed Feb 07 13:07:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004403395",
      "id": "100000000004403395",
      "full_text": "Today this flaky test rewrote the release notes &amp; I am what a week 💻",
      "created_at": "Wed Feb 07 11:01:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004398236",
      "id": "100000000004398236",
      "full_text": "My linter deleted half the codebase #python",
      "created_at": "Wed Feb 07 09:40:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004391263",
      "id": "100000000004391263",
      "full_text": "My linter broke half the codebase. ship it!",
      "created_at": "Wed Feb 07 08:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004383628",
      "id": "100000000004383628",
      "full_text": "A rogue semicolon deleted half the codebase\n\ntests are green 😅",
      "created_at": "Wed Feb 07 06:01:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004376428",
      "id": "100000000004376428",
      "full_text": "yes @rubber_duck",
      "created_at": "Wed Feb 07 05:20:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004368264",
      "id": "100000000004368264",
      "full_text": "RT @weekly_digest: A rogue semicolon benchmarked the on-call rota https://t.co/9491f36d",
      "created_at": "Wed Feb 07 02:58:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004363174",
      "id": "100000000004363174",
      "full_text": "A rogue semicolon benchmarked the on-call rota\n\nship it ⛰️",
      "created_at": "Wed Feb 07 01:36:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004353034",
      "id": "100000000004353034",
      "full_text": "Today a rogue semicolon benchmarked three caches &amp; I am what a week 💻",
      "created_at": "Wed Feb 07 00:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004342602",
      "id": "100000000004342602",
      "full_text": "@code_review a rogue semicolon broke the on-call rota, it works on my machine",
      "created_at": "Tue Feb 06 22:27:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004333829",
      "id": "100000000004333829",
      "full_text": "New post: this flaky test refactored a memory leak &gt; everything else https://t.co/0a5a68e5 #oncall",
      "created_at": "Tue Feb 06 20:49:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004325566",
      "id": "100000000004325566",
      "full_text": "New post: the staging server benchmarked the on-call rota &gt; everything else https://t.co/b116bf27 #devlife",
      "created_at": "Tue Feb 06 19:13:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004319020",
      "id": "100000000004319020",
      "full_text": "A rogue semicolon refactored a memory leak https://t.co/62c8e23c",
      "created_at": "Tue Feb 06 17:31:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004308868",
      "id": "100000000004308868",
      "full_text": "The staging server deleted three caches\n\ntests are green ✨",
      "created_at": "Tue Feb 06 16:21:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004304554",
      "id": "100000000004304554",
      "full_text": "Note to self: the build refactored half the codebase &lt;3",
      "created_at": "Tue Feb 06 14:15:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004296402",
      "id": "100000000004296402",
      "full_text": "I think my linter deleted half the codebase. send coffee.",
      "created_at": "Tue Feb 06 13:02:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004291028",
      "id": "100000000004291028",
      "full_text": "I think the build broke half the codebase. what a week.",
      "created_at": "Tue Feb 06 11:18:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004278812",
      "id": "100000000004278812",
      "full_text": "New post: this flaky test deleted half the codebase &gt; everything else https://t.co/ce365902 #oncall",
      "created_at": "Tue Feb 06 09:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004268798",
      "id": "100000000004268798",
      "full_text": "RT @weekly_digest: The build benchmarked three caches https://t.co/bb0f2e15",
      "created_at": "Tue Feb 06 07:30:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004261353",
      "id": "100000000004261353",
      "full_text": "RT @weekly_digest: A rogue semicolon benchmarked half the codebase https://t.co/6a2fc25c",
      "created_at": "Tue Feb 06 06:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004260405",
      "id": "100000000004260405",
      "full_text": "yes @code_review",
      "created_at": "Tue Feb 06 04:36:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004247074",
      "id": "100000000004247074",
      "full_text": "@ci_bot the staging server broke three caches, it works on my machine",
      "created_at": "Tue Feb 06 03:31:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004236867",
      "id": "100000000004236867",
      "full_text": "New post: this flaky test deleted the release notes &gt; everything else https://t.co/f23f921b #devlife",
      "created_at": "Tue Feb 06 01:13:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004230758",
      "id": "100000000004230758",
      "full_text": "Why does my linter always feel it works on my machine? My linter rewrote three caches.",
      "created_at": "Mon Feb 05 23:42:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004228076",
      "id": "100000000004228076",
      "full_text": "New post: this flaky test broke a memory leak &gt; everything else https://t.co/c0f76e6a #python",
      "created_at": "Mon Feb 05 21:53:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004215605",
      "id": "100000000004215605",
      "full_text": "Today my linter deleted three caches &amp; I am tests are green 🔥",
      "created_at": "Mon Feb 05 20:33:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004205640",
      "id": "100000000004205640",
      "full_text": "The staging server refactored three caches\n\nit works on my machine ⛰️",
      "created_at": "Mon Feb 05 18:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004204571",
      "id": "100000000004204571",
      "full_text": "RT @weekly_digest: This flaky test refactored three caches https://t.co/546367fd",
      "created_at": "Mon Feb 05 17:33:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004192061",
      "id": "100000000004192061",
      "full_text": "I think my linter deleted a memory leak. what a week.",
      "created_at": "Mon Feb 05 15:20:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004181766",
      "id": "100000000004181766",
      "full_text": "@rubber_duck the build rewrote a memory leak, it works on my machine",
      "created_at": "Mon Feb 05 14:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004178040",
      "id": "100000000004178040",
      "full_text": "@rubber_duck my linter refactored a memory leak, send coffee",
      "created_at": "Mon Feb 05 12:56:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004170566",
      "id": "100000000004170566",
      "full_text": "@code_review this flaky test refactored the release notes, what a week",
      "created_at": "Mon Feb 05 11:02:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004160587",
      "id": "100000000004160587",
      "full_text": "@rubber_duck a rogue semicolon broke the release notes, send coffee",
      "created_at": "Mon Feb 05 09:08:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004155317",
      "id": "100000000004155317",
      "full_text": "yes @rubber_duck",
      "created_at": "Mon Feb 05 07:38:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004143171",
      "id": "100000000004143171",
      "full_text": "My linter broke the on-call rota #devlife",
      "created_at": "Mon Feb 05 05:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004136130",
      "id": "100000000004136130",
      "full_text": "yes @ci_bot",
      "created_at": "Mon Feb 05 04:36:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004126911",
      "id": "100000000004126911",
      "full_text": "I think a rogue semicolon refactored half the codebase. what a week.",
      "created_at": "Mon Feb 05 02:54:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004119401",
      "id": "100000000004119401",
      "full_text": "The staging server deleted a memory leak\n\nsend coffee 😅",
      "created_at": "Mon Feb 05 00:50:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004115052",
      "id": "100000000004115052",
      "full_text": "The staging server refactored the on-call rota. send coffee!",
      "created_at": "Sun Feb 04 23:17:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004108221",
      "id": "100000000004108221",
      "full_text": "@ci_bot my linter refactored a memory leak, ship it",
      "created_at": "Sun Feb 04 21:53:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004098339",
      "id": "100000000004098339",
      "full_text": "New post: a rogue semicolon broke the release notes &gt; everything else https://t.co/bce6a20d #devlife",
      "created_at": "Sun Feb 04 20:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004092763",
      "id": "100000000004092763",
      "full_text": "RT @weekly_digest: My linter rewrote the on-call rota https://t.co/c819e7dc",
      "created_at": "Sun Feb 04 18:38:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004085755",
      "id": "100000000004085755",
      "full_text": "Today the staging server deleted half the codebase &amp; I am it works on my machine 🙌",
      "created_at": "Sun Feb 04 16:40:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004073774",
      "id": "100000000004073774",
      "full_text": "The staging server broke the on-call rota https://t.co/3dbfdaaf",
      "created_at": "Sun Feb 04 15:37:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004069970",
      "id": "100000000004069970",
      "full_text": "I think the build broke the release notes. send coffee.",
      "created_at": "Sun Feb 04 13:23:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004057552",
      "id": "100000000004057552",
      "full_text": "yes @ci_bot",
      "created_at": "Sun Feb 04 12:36:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004053655",
      "id": "100000000004053655",
      "full_text": "@code_review the build broke the on-call rota, tests are green",
      "created_at": "Sun Feb 04 10:59:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004041789",
      "id": "100000000004041789",
      "full_text": "A rogue semicolon refactored three caches\n\ntests are green 😅",
      "created_at": "Sun Feb 04 09:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004033916",
      "id": "100000000004033916",
      "full_text": "@rubber_duck the staging server rewrote a memory leak, it works on my machine",
      "created_at": "Sun Feb 04 07:47:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004028063",
      "id": "100000000004028063",
      "full_text": "https://t.co/abc123",
      "created_at": "Sun Feb 04 05:18:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004021915",
      "id": "100000000004021915",
      "full_text": "Today my linter broke three caches &amp; I am ship it 😅",
      "created_at": "Sun Feb 04 04:18:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004012980",
      "id": "100000000004012980",
      "full_text": "#oncall 🙌",
      "created_at": "Sun Feb 04 02:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000004003412",
      "id": "100000000004003412",
      "full_text": "New post: my linter deleted the release notes &gt; everything else https://t.co/54c2fd34 #oncall",
      "created_at": "Sun Feb 04 00:53:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003997775",
      "id": "100000000003997775",
      "full_text": "A rogue semicolon broke half the codebase. ship it!",
      "created_at": "Sat Feb 03 23:04:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003988047",
      "id": "100000000003988047",
      "full_text": "Note to self: my linter refactored three caches &lt;3",
      "created_at": "Sat Feb 03 21:42:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003977382",
      "id": "100000000003977382",
      "full_text": "This flaky test refactored a memory leak #oncall",
      "created_at": "Sat Feb 03 19:59:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003968888",
      "id": "100000000003968888",
      "full_text": "This flaky test benchmarked the on-call rota https://t.co/85d363eb",
      "created_at": "Sat Feb 03 18:42:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003960618",
      "id": "100000000003960618",
      "full_text": "I think my linter benchmarked a memory leak. send coffee.",
      "created_at": "Sat Feb 03 16:53:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003952496",
      "id": "100000000003952496",
      "full_text": "RT @weekly_digest: The staging server deleted the release notes https://t.co/c566eed7",
      "created_at": "Sat Feb 03 14:45:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003950442",
      "id": "100000000003950442",
      "full_text": "@code_review the staging server refactored half the codebase, send coffee",
      "created_at": "Sat Feb 03 13:27:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003938720",
      "id": "100000000003938720",
      "full_text": "Note to self: the build deleted three caches &lt;3",
      "created_at": "Sat Feb 03 12:24:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003928605",
      "id": "100000000003928605",
      "full_text": "The staging server deleted the release notes\n\ntests are green ✨",
      "created_at": "Sat Feb 03 10:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003923596",
      "id": "100000000003923596",
      "full_text": "I think the staging server refactored the on-call rota. it works on my machine.",
      "created_at": "Sat Feb 03 08:17:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003917769",
      "id": "100000000003917769",
      "full_text": "I think the staging server deleted a memory leak. what a week.",
      "created_at": "Sat Feb 03 07:05:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003910302",
      "id": "100000000003910302",
      "full_text": "yes @ci_bot",
      "created_at": "Sat Feb 03 05:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003902635",
      "id": "100000000003902635",
      "full_text": "I think this flaky test refactored the release notes. ship it.",
      "created_at": "Sat Feb 03 03:51:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003892702",
      "id": "100000000003892702",
      "full_text": "RT @local_radio: A rogue semicolon deleted the release notes https://t.co/ecd326f6",
      "created_at": "Sat Feb 03 02:05:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003885649",
      "id": "100000000003885649",
      "full_text": "My linter deleted the release notes #oncall",
      "created_at": "Sat Feb 03 00:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003875883",
      "id": "100000000003875883",
      "full_text": "A rogue semicolon rewrote the release notes https://t.co/b6136e5c",
      "created_at": "Fri Feb 02 23:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003872082",
      "id": "100000000003872082",
      "full_text": "I think the staging server broke the release notes. send coffee.",
      "created_at": "Fri Feb 02 21:11:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003859155",
      "id": "100000000003859155",
      "full_text": "RT @local_radio: This flaky test refactored the on-call rota https://t.co/8783eeac",
      "created_at": "Fri Feb 02 19:45:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003853139",
      "id": "100000000003853139",
      "full_text": "Why does this flaky test always feel what a week? This flaky test benchmarked the release notes.",
      "created_at": "Fri Feb 02 18:02:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003847618",
      "id": "100000000003847618",
      "full_text": "@rubber_duck this flaky test benchmarked the release notes, ship it",
      "created_at": "Fri Feb 02 16:05:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003838899",
      "id": "100000000003838899",
      "full_text": "Note to self: the staging server rewrote the on-call rota &lt;3",
      "created_at": "Fri Feb 02 15:08:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003828435",
      "id": "100000000003828435",
      "full_text": "A rogue semicolon refactored three caches\n\nit works on my machine 💻",
      "created_at": "Fri Feb 02 13:41:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003819684",
      "id": "100000000003819684",
      "full_text": "Today this flaky test broke half the codebase &amp; I am it works on my machine 🍞",
      "created_at": "Fri Feb 02 11:54:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003816310",
      "id": "100000000003816310",
      "full_text": "New post: the build deleted half the codebase &gt; everything else https://t.co/8c84a414 #python",
      "created_at": "Fri Feb 02 10:13:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003805376",
      "id": "100000000003805376",
      "full_text": "New post: the staging server refactored half the codebase &gt; everything else https://t.co/2538a19c #devlife",
      "created_at": "Fri Feb 02 08:34:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003793943",
      "id": "100000000003793943",
      "full_text": "A rogue semicolon broke a memory leak #oncall",
      "created_at": "Fri Feb 02 07:01:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003792818",
      "id": "100000000003792818",
      "full_text": "New post: a rogue semicolon deleted half the codebase &gt; everything else https://t.co/f2f815cb #devlife",
      "created_at": "Fri Feb 02 05:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003779478",
      "id": "100000000003779478",
      "full_text": "I think the staging server benchmarked the release notes. ship it.",
      "created_at": "Fri Feb 02 03:44:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003773281",
      "id": "100000000003773281",
      "full_text": "RT @local_radio: The build benchmarked the release notes https://t.co/e20866b1",
      "created_at": "Fri Feb 02 02:26:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003763443",
      "id": "100000000003763443",
      "full_text": "The staging server rewrote a memory leak #python",
      "created_at": "Fri Feb 02 00:30:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003760224",
      "id": "100000000003760224",
      "full_text": "I think my linter broke half the codebase. what a week.",
      "created_at": "Thu Feb 01 23:13:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003747594",
      "id": "100000000003747594",
      "full_text": "New post: my linter rewrote the on-call rota &gt; everything else https://t.co/4a3a4a61 #devlife",
      "created_at": "Thu Feb 01 21:11:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003738149",
      "id": "100000000003738149",
      "full_text": "@ci_bot lol",
      "created_at": "Thu Feb 01 20:01:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003734479",
      "id": "100000000003734479",
      "full_text": "RT @local_radio: The build refactored three caches https://t.co/648e0fb0",
      "created_at": "Thu Feb 01 17:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003728548",
      "id": "100000000003728548",
      "full_text": "Why does a rogue semicolon always feel ship it? A rogue semicolon rewrote three caches.",
      "created_at": "Thu Feb 01 15:53:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003715292",
      "id": "100000000003715292",
      "full_text": "Why does the build always feel tests are green? The build deleted a memory leak.",
      "created_at": "Thu Feb 01 14:57:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003713375",
      "id": "100000000003713375",
      "full_text": "The build broke three caches\n\nit works on my machine 🙌",
      "created_at": "Thu Feb 01 13:31:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003705431",
      "id": "100000000003705431",
      "full_text": "Today my linter rewrote the release notes &amp; I am what a week ⛰️",
      "created_at": "Thu Feb 01 11:37:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003694106",
      "id": "100000000003694106",
      "full_text": "The build deleted three caches. ship it!",
      "created_at": "Thu Feb 01 09:44:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003686335",
      "id": "100000000003686335",
      "full_text": "@ci_bot a rogue semicolon deleted the on-call rota, send coffee",
      "created_at": "Thu Feb 01 08:44:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003676607",
      "id": "100000000003676607",
      "full_text": "My linter deleted three caches https://t.co/cd4ac14a",
      "created_at": "Thu Feb 01 06:33:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003670552",
      "id": "100000000003670552",
      "full_text": "Note to self: a rogue semicolon benchmarked half the codebase &lt;3",
      "created_at": "Thu Feb 01 05:14:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003664833",
      "id": "100000000003664833",
      "full_text": "New post: this flaky test refactored the on-call rota &gt; everything else https://t.co/9ee306fa #devlife",
      "created_at": "Thu Feb 01 03:03:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003656823",
      "id": "100000000003656823",
      "full_text": "Note to self: a rogue semicolon deleted three caches &lt;3",
      "created_at": "Thu Feb 01 02:02:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003643516",
      "id": "100000000003643516",
      "full_text": "Note to self: this flaky test broke the release notes &lt;3",
      "created_at": "Thu Feb 01 00:36:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003641569",
      "id": "100000000003641569",
      "full_text": "My linter broke half the codebase #python",
      "created_at": "Wed Jan 31 22:53:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003634143",
      "id": "100000000003634143",
      "full_text": "@ci_bot this flaky test refactored a memory leak, what a week",
      "created_at": "Wed Jan 31 20:39:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003619156",
      "id": "100000000003619156",
      "full_text": "This flaky test rewrote half the codebase #devlife",
      "created_at": "Wed Jan 31 18:52:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003618501",
      "id": "100000000003618501",
      "full_text": "@rubber_duck lol",
      "created_at": "Wed Jan 31 18:07:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003610787",
      "id": "100000000003610787",
      "full_text": "The build broke the release notes #python",
      "created_at": "Wed Jan 31 15:37:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003597776",
      "id": "100000000003597776",
      "full_text": "New post: the build deleted the on-call rota &gt; everything else https://t.co/46ad39b1 #oncall",
      "created_at": "Wed Jan 31 14:48:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003588897",
      "id": "100000000003588897",
      "full_text": "My linter deleted the release notes https://t.co/ba915315",
      "created_at": "Wed Jan 31 12:21:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003586023",
      "id": "100000000003586023",
      "full_text": "@rubber_duck my linter deleted half the codebase, tests are green",
      "created_at": "Wed Jan 31 11:20:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003574817",
      "id": "100000000003574817",
      "full_text": "Note to self: a rogue semicolon benchmarked half the codebase &lt;3",
      "created_at": "Wed Jan 31 09:58:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003568100",
      "id": "100000000003568100",
      "full_text": "The staging server benchmarked the release notes https://t.co/c9345287",
      "created_at": "Wed Jan 31 08:05:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003562572",
      "id": "100000000003562572",
      "full_text": "yes @rubber_duck",
      "created_at": "Wed Jan 31 06:31:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003554073",
      "id": "100000000003554073",
      "full_text": "My linter deleted a memory leak #oncall",
      "created_at": "Wed Jan 31 04:24:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003543251",
      "id": "100000000003543251",
      "full_text": "Today the build deleted three caches &amp; I am send coffee 😅",
      "created_at": "Wed Jan 31 03:21:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003537895",
      "id": "100000000003537895",
      "full_text": "RT @local_radio: My linter rewrote three caches https://t.co/2a802a96",
      "created_at": "Wed Jan 31 01:14:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003528833",
      "id": "100000000003528833",
      "full_text": "The staging server deleted the on-call rota https://t.co/a3d0a9f1",
      "created_at": "Tue Jan 30 23:27:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003517013",
      "id": "100000000003517013",
      "full_text": "Why does the build always feel tests are green? The build benchmarked three caches.",
      "created_at": "Tue Jan 30 22:06:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003514199",
      "id": "100000000003514199",
      "full_text": "Note to self: the staging server broke a memory leak &lt;3",
      "created_at": "Tue Jan 30 20:40:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003506904",
      "id": "100000000003506904",
      "full_text": "The build benchmarked the release notes #devlife",
      "created_at": "Tue Jan 30 18:40:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003494881",
      "id": "100000000003494881",
      "full_text": "#oncall 🙌",
      "created_at": "Tue Jan 30 17:05:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003491728",
      "id": "100000000003491728",
      "full_text": "Why does a rogue semicolon always feel tests are green? A rogue semicolon broke the release notes.",
      "created_at": "Tue Jan 30 15:28:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003481847",
      "id": "100000000003481847",
      "full_text": "@code_review the build deleted the release notes, tests are green",
      "created_at": "Tue Jan 30 14:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003472371",
      "id": "100000000003472371",
      "full_text": "New post: a rogue semicolon refactored half the codebase &gt; everything else https://t.co/37371f5c #devlife",
      "created_at": "Tue Jan 30 12:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003462680",
      "id": "100000000003462680",
      "full_text": "A rogue semicolon benchmarked three caches https://t.co/043d1d4a",
      "created_at": "Tue Jan 30 10:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003457425",
      "id": "100000000003457425",
      "full_text": "I think a rogue semicolon deleted three caches. what a week.",
      "created_at": "Tue Jan 30 09:47:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003451698",
      "id": "100000000003451698",
      "full_text": "RT @weekly_digest: My linter broke a memory leak https://t.co/9f411a0c",
      "created_at": "Tue Jan 30 08:06:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003438419",
      "id": "100000000003438419",
      "full_text": "A rogue semicolon rewrote the release notes #python",
      "created_at": "Tue Jan 30 06:11:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003430831",
      "id": "100000000003430831",
      "full_text": "New post: the build rewrote a memory leak &gt; everything else https://t.co/5d56c31e #devlife",
      "created_at": "Tue Jan 30 04:47:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003427290",
      "id": "100000000003427290",
      "full_text": "The staging server deleted three caches\n\ntests are green ⛰️",
      "created_at": "Tue Jan 30 03:11:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003416400",
      "id": "100000000003416400",
      "full_text": "New post: the staging server deleted a memory leak &gt; everything else https://t.co/d5acebdb #devlife",
      "created_at": "Tue Jan 30 01:19:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003411798",
      "id": "100000000003411798",
      "full_text": "My linter refactored a memory leak. it works on my machine!",
      "created_at": "Mon Jan 29 23:56:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003404298",
      "id": "100000000003404298",
      "full_text": "A rogue semicolon deleted three caches\n\nit works on my machine 😅",
      "created_at": "Mon Jan 29 21:45:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003393072",
      "id": "100000000003393072",
      "full_text": "This flaky test deleted the release notes #devlife",
      "created_at": "Mon Jan 29 20:31:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003388220",
      "id": "100000000003388220",
      "full_text": "A rogue semicolon broke three caches. send coffee!",
      "created_at": "Mon Jan 29 18:22:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003378956",
      "id": "100000000003378956",
      "full_text": "@rubber_duck my linter rewrote a memory leak, ship it",
      "created_at": "Mon Jan 29 17:37:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003370605",
      "id": "100000000003370605",
      "full_text": "A rogue semicolon deleted the on-call rota\n\nit works on my machine 💻",
      "created_at": "Mon Jan 29 15:50:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003357880",
      "id": "100000000003357880",
      "full_text": "RT @news_desk: My linter deleted the release notes https://t.co/a710c5cf",
      "created_at": "Mon Jan 29 14:13:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003351414",
      "id": "100000000003351414",
      "full_text": "Note to self: the build deleted a memory leak &lt;3",
      "created_at": "Mon Jan 29 12:39:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003342767",
      "id": "100000000003342767",
      "full_text": "My linter refactored a memory leak. send coffee!",
      "created_at": "Mon Jan 29 10:34:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003335407",
      "id": "100000000003335407",
      "full_text": "Note to self: a rogue semicolon benchmarked half the codebase &lt;3",
      "created_at": "Mon Jan 29 09:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003330133",
      "id": "100000000003330133",
      "full_text": "#python 🙌",
      "created_at": "Mon Jan 29 07:06:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003319670",
      "id": "100000000003319670",
      "full_text": "Today the staging server benchmarked three caches &amp; I am what a week 🙌",
      "created_at": "Mon Jan 29 05:40:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003310577",
      "id": "100000000003310577",
      "full_text": "RT @local_radio: This flaky test benchmarked half the codebase https://t.co/eecaf840",
      "created_at": "Mon Jan 29 04:15:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003307269",
      "id": "100000000003307269",
      "full_text": "Note to self: my linter refactored the release notes &lt;3",
      "created_at": "Mon Jan 29 03:05:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003300693",
      "id": "100000000003300693",
      "full_text": "https://t.co/abc123",
      "created_at": "Mon Jan 29 01:11:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003289412",
      "id": "100000000003289412",
      "full_text": "The staging server benchmarked the release notes #oncall",
      "created_at": "Sun Jan 28 23:31:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003282897",
      "id": "100000000003282897",
      "full_text": "RT @local_radio: The staging server rewrote three caches https://t.co/a23f2565",
      "created_at": "Sun Jan 28 21:34:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003274081",
      "id": "100000000003274081",
      "full_text": "@code_review a rogue semicolon broke a memory leak, send coffee",
      "created_at": "Sun Jan 28 20:24:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003262921",
      "id": "100000000003262921",
      "full_text": "yes @rubber_duck",
      "created_at": "Sun Jan 28 18:16:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003262263",
      "id": "100000000003262263",
      "full_text": "My linter rewrote a memory leak #oncall",
      "created_at": "Sun Jan 28 16:42:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003253237",
      "id": "100000000003253237",
      "full_text": "New post: this flaky test refactored the release notes &gt; everything else https://t.co/05a5cddf #oncall",
      "created_at": "Sun Jan 28 15:03:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003239912",
      "id": "100000000003239912",
      "full_text": "My linter refactored a memory leak\n\nsend coffee 🍞",
      "created_at": "Sun Jan 28 13:45:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003238643",
      "id": "100000000003238643",
      "full_text": "I think the staging server benchmarked the on-call rota. what a week.",
      "created_at": "Sun Jan 28 12:11:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003226615",
      "id": "100000000003226615",
      "full_text": "Note to self: the staging server broke three caches &lt;3",
      "created_at": "Sun Jan 28 10:20:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003219550",
      "id": "100000000003219550",
      "full_text": "Why does my linter always feel what a week? My linter rewrote the release notes.",
      "created_at": "Sun Jan 28 08:39:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003211750",
      "id": "100000000003211750",
      "full_text": "Today a rogue semicolon deleted a memory leak &amp; I am tests are green ✨",
      "created_at": "Sun Jan 28 07:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003202255",
      "id": "100000000003202255",
      "full_text": "A rogue semicolon benchmarked half the codebase https://t.co/a77e0c70",
      "created_at": "Sun Jan 28 05:39:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003193572",
      "id": "100000000003193572",
      "full_text": "New post: a rogue semicolon refactored the release notes &gt; everything else https://t.co/e4bee277 #python",
      "created_at": "Sun Jan 28 04:17:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003185903",
      "id": "100000000003185903",
      "full_text": "Why does my linter always feel what a week? My linter deleted half the codebase.",
      "created_at": "Sun Jan 28 02:11:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003178338",
      "id": "100000000003178338",
      "full_text": "I think the build broke the on-call rota. it works on my machine.",
      "created_at": "Sun Jan 28 00:52:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003173765",
      "id": "100000000003173765",
      "full_text": "The staging server broke half the codebase #oncall",
      "created_at": "Sat Jan 27 23:03:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003163292",
      "id": "100000000003163292",
      "full_text": "Why does my linter always feel send coffee? My linter deleted the release notes.",
      "created_at": "Sat Jan 27 21:50:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003152454",
      "id": "100000000003152454",
      "full_text": "The build refactored the on-call rota. it works on my machine!",
      "created_at": "Sat Jan 27 20:14:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003149479",
      "id": "100000000003149479",
      "full_text": "Note to self: the staging server rewrote half the codebase &lt;3",
      "created_at": "Sat Jan 27 18:01:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003143180",
      "id": "100000000003143180",
      "full_text": "RT @local_radio: My linter rewrote three caches https://t.co/72e1d745",
      "created_at": "Sat Jan 27 16:13:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003129504",
      "id": "100000000003129504",
      "full_text": "@code_review a rogue semicolon refactored three caches, it works on my machine",
      "created_at": "Sat Jan 27 15:21:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003120390",
      "id": "100000000003120390",
      "full_text": "Why does a rogue semicolon always feel ship it? A rogue semicolon broke three caches.",
      "created_at": "Sat Jan 27 13:03:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003112970",
      "id": "100000000003112970",
      "full_text": "Today the build deleted the release notes &amp; I am it works on my machine 💻",
      "created_at": "Sat Jan 27 11:34:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003109923",
      "id": "100000000003109923",
      "full_text": "Why does the build always feel tests are green? The build deleted half the codebase.",
      "created_at": "Sat Jan 27 10:37:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003100854",
      "id": "100000000003100854",
      "full_text": "@rubber_duck this flaky test broke a memory leak, ship it",
      "created_at": "Sat Jan 27 08:38:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003089700",
      "id": "100000000003089700",
      "full_text": "The staging server broke a memory leak\n\nsend coffee 🌻",
      "created_at": "Sat Jan 27 07:19:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003081788",
      "id": "100000000003081788",
      "full_text": "Note to self: this flaky test broke a memory leak &lt;3",
      "created_at": "Sat Jan 27 05:40:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003079293",
      "id": "100000000003079293",
      "full_text": "Why does a rogue semicolon always feel what a week? A rogue semicolon benchmarked the release notes.",
      "created_at": "Sat Jan 27 03:57:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003069223",
      "id": "100000000003069223",
      "full_text": "The build rewrote half the codebase. what a week!",
      "created_at": "Sat Jan 27 02:07:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003059978",
      "id": "100000000003059978",
      "full_text": "New post: a rogue semicolon benchmarked half the codebase &gt; everything else https://t.co/7190c5fe #oncall",
      "created_at": "Sat Jan 27 00:56:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003050893",
      "id": "100000000003050893",
      "full_text": "New post: this flaky test refactored three caches &gt; everything else https://t.co/f104871b #devlife",
      "created_at": "Fri Jan 26 22:47:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003048437",
      "id": "100000000003048437",
      "full_text": "I think a rogue semicolon broke three caches. ship it.",
      "created_at": "Fri Jan 26 21:18:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003035278",
      "id": "100000000003035278",
      "full_text": "A rogue semicolon refactored the release notes https://t.co/c71408ef",
      "created_at": "Fri Jan 26 19:27:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003026239",
      "id": "100000000003026239",
      "full_text": "Note to self: this flaky test refactored the release notes &lt;3",
      "created_at": "Fri Jan 26 18:01:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003019057",
      "id": "100000000003019057",
      "full_text": "Note to self: this flaky test deleted three caches &lt;3",
      "created_at": "Fri Jan 26 16:45:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003012187",
      "id": "100000000003012187",
      "full_text": "I think my linter benchmarked a memory leak. tests are green.",
      "created_at": "Fri Jan 26 14:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003003832",
      "id": "100000000003003832",
      "full_text": "RT @local_radio: The build rewrote three caches https://t.co/038becaf",
      "created_at": "Fri Jan 26 13:19:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000003000787",
      "id": "100000000003000787",
      "full_text": "@rubber_duck a rogue semicolon broke a memory leak, it works on my machine",
      "created_at": "Fri Jan 26 12:00:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002986925",
      "id": "100000000002986925",
      "full_text": "My linter benchmarked the release notes #python",
      "created_at": "Fri Jan 26 10:01:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002981887",
      "id": "100000000002981887",
      "full_text": "This flaky test rewrote three caches. ship it!",
      "created_at": "Fri Jan 26 07:59:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002976218",
      "id": "100000000002976218",
      "full_text": "Today this flaky test refactored three caches &amp; I am tests are green 🔥",
      "created_at": "Fri Jan 26 06:50:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002968240",
      "id": "100000000002968240",
      "full_text": "Today my linter refactored a memory leak &amp; I am send coffee ✨",
      "created_at": "Fri Jan 26 05:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002960495",
      "id": "100000000002960495",
      "full_text": "@code_review this flaky test benchmarked the on-call rota, send coffee",
      "created_at": "Fri Jan 26 03:01:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002951579",
      "id": "100000000002951579",
      "full_text": "This flaky test deleted three caches. ship it!",
      "created_at": "Fri Jan 26 01:50:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002938460",
      "id": "100000000002938460",
      "full_text": "Note to self: this flaky test deleted the release notes &lt;3",
      "created_at": "Fri Jan 26 00:03:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002935773",
      "id": "100000000002935773",
      "full_text": "RT @weekly_digest: The build benchmarked the on-call rota https://t.co/07a77f3a",
      "created_at": "Thu Jan 25 22:48:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002924919",
      "id": "100000000002924919",
      "full_text": "Note to self: this flaky test rewrote three caches &lt;3",
      "created_at": "Thu Jan 25 20:34:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002915769",
      "id": "100000000002915769",
      "full_text": "A rogue semicolon benchmarked half the codebase #devlife",
      "created_at": "Thu Jan 25 19:52:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002909209",
      "id": "100000000002909209",
      "full_text": "RT @weekly_digest: A rogue semicolon broke the release notes https://t.co/a943187a",
      "created_at": "Thu Jan 25 18:06:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002904788",
      "id": "100000000002904788",
      "full_text": "New post: the staging server benchmarked three caches &gt; everything else https://t.co/18647ad5 #devlife",
      "created_at": "Thu Jan 25 16:03:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002891268",
      "id": "100000000002891268",
      "full_text": "Today a rogue semicolon refactored the on-call rota &amp; I am it works on my machine ✨",
      "created_at": "Thu Jan 25 14:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002887368",
      "id": "100000000002887368",
      "full_text": "I think my linter refactored the release notes. ship it.",
      "created_at": "Thu Jan 25 12:42:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002875969",
      "id": "100000000002875969",
      "full_text": "Why does this flaky test always feel ship it? This flaky test rewrote three caches.",
      "created_at": "Thu Jan 25 11:10:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002869977",
      "id": "100000000002869977",
      "full_text": "A rogue semicolon benchmarked three caches. ship it!",
      "created_at": "Thu Jan 25 09:40:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002863268",
      "id": "100000000002863268",
      "full_text": "RT @news_desk: The staging server deleted the on-call rota https://t.co/0ee3d639",
      "created_at": "Thu Jan 25 07:46:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002857379",
      "id": "100000000002857379",
      "full_text": "New post: the staging server deleted a memory leak &gt; everything else https://t.co/b6a0a702 #python",
      "created_at": "Thu Jan 25 06:55:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002848825",
      "id": "100000000002848825",
      "full_text": "A rogue semicolon benchmarked the release notes #oncall",
      "created_at": "Thu Jan 25 05:22:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002836187",
      "id": "100000000002836187",
      "full_text": "Why does a rogue semicolon always feel ship it? A rogue semicolon benchmarked the on-call rota.",
      "created_at": "Thu Jan 25 03:17:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002828236",
      "id": "100000000002828236",
      "full_text": "#python 🙌",
      "created_at": "Thu Jan 25 01:53:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002825134",
      "id": "100000000002825134",
      "full_text": "#python 🙌",
      "created_at": "Thu Jan 25 00:27:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002816233",
      "id": "100000000002816233",
      "full_text": "This flaky test rewrote half the codebase https://t.co/8ccf2577",
      "created_at": "Wed Jan 24 22:33:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002810622",
      "id": "100000000002810622",
      "full_text": "The staging server broke the on-call rota https://t.co/cdf86382",
      "created_at": "Wed Jan 24 20:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002796696",
      "id": "100000000002796696",
      "full_text": "Why does the staging server always feel ship it? The staging server refactored a memory leak.",
      "created_at": "Wed Jan 24 19:19:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002789145",
      "id": "100000000002789145",
      "full_text": "My linter broke the release notes\n\ntests are green 😅",
      "created_at": "Wed Jan 24 17:34:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002784918",
      "id": "100000000002784918",
      "full_text": "I think a rogue semicolon deleted three caches. it works on my machine.",
      "created_at": "Wed Jan 24 16:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002775388",
      "id": "100000000002775388",
      "full_text": "A rogue semicolon broke the release notes\n\nwhat a week 🔥",
      "created_at": "Wed Jan 24 14:44:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002765645",
      "id": "100000000002765645",
      "full_text": "This flaky test rewrote the release notes https://t.co/0a2bf82f",
      "created_at": "Wed Jan 24 12:33:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002758917",
      "id": "100000000002758917",
      "full_text": "A rogue semicolon deleted half the codebase. ship it!",
      "created_at": "Wed Jan 24 11:14:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002749887",
      "id": "100000000002749887",
      "full_text": "I think the staging server refactored half the codebase. what a week.",
      "created_at": "Wed Jan 24 09:50:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002741631",
      "id": "100000000002741631",
      "full_text": "@code_review a rogue semicolon deleted the release notes, what a week",
      "created_at": "Wed Jan 24 07:56:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002739775",
      "id": "100000000002739775",
      "full_text": "https://t.co/abc123",
      "created_at": "Wed Jan 24 06:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002728676",
      "id": "100000000002728676",
      "full_text": "New post: a rogue semicolon deleted the on-call rota &gt; everything else https://t.co/e0458d80 #oncall",
      "created_at": "Wed Jan 24 05:00:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002723272",
      "id": "100000000002723272",
      "full_text": "Note to self: the staging server deleted the on-call rota &lt;3",
      "created_at": "Wed Jan 24 02:44:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002709230",
      "id": "100000000002709230",
      "full_text": "RT @news_desk: The build refactored three caches https://t.co/3115baf1",
      "created_at": "Wed Jan 24 01:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002700898",
      "id": "100000000002700898",
      "full_text": "The staging server deleted a memory leak. send coffee!",
      "created_at": "Wed Jan 24 00:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002698014",
      "id": "100000000002698014",
      "full_text": "@rubber_duck this flaky test refactored three caches, it works on my machine",
      "created_at": "Tue Jan 23 22:00:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002686855",
      "id": "100000000002686855",
      "full_text": "RT @weekly_digest: The staging server rewrote a memory leak https://t.co/ceb2bde3",
      "created_at": "Tue Jan 23 20:54:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002681565",
      "id": "100000000002681565",
      "full_text": "https://t.co/abc123",
      "created_at": "Tue Jan 23 18:43:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002673080",
      "id": "100000000002673080",
      "full_text": "A rogue semicolon refactored three caches https://t.co/30ded13f",
      "created_at": "Tue Jan 23 16:51:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002662519",
      "id": "100000000002662519",
      "full_text": "New post: a rogue semicolon deleted a memory leak &gt; everything else https://t.co/680c0c84 #devlife",
      "created_at": "Tue Jan 23 15:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002658399",
      "id": "100000000002658399",
      "full_text": "Today this flaky test rewrote the on-call rota &amp; I am send coffee 😅",
      "created_at": "Tue Jan 23 13:36:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002646395",
      "id": "100000000002646395",
      "full_text": "@code_review my linter rewrote the on-call rota, send coffee",
      "created_at": "Tue Jan 23 11:58:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002637422",
      "id": "100000000002637422",
      "full_text": "Why does a rogue semicolon always feel it works on my machine? A rogue semicolon broke half the codebase.",
      "created_at": "Tue Jan 23 10:48:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002635372",
      "id": "100000000002635372",
      "full_text": "The staging server benchmarked half the codebase\n\ntests are green 🌻",
      "created_at": "Tue Jan 23 08:44:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002627212",
      "id": "100000000002627212",
      "full_text": "This flaky test broke three caches https://t.co/ed163737",
      "created_at": "Tue Jan 23 07:41:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002617435",
      "id": "100000000002617435",
      "full_text": "Today this flaky test benchmarked a memory leak &amp; I am tests are green 🍞",
      "created_at": "Tue Jan 23 06:05:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002612835",
      "id": "100000000002612835",
      "full_text": "This flaky test benchmarked a memory leak https://t.co/900e236c",
      "created_at": "Tue Jan 23 04:22:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002599085",
      "id": "100000000002599085",
      "full_text": "New post: the staging server rewrote the on-call rota &gt; everything else https://t.co/8ca66ae2 #oncall",
      "created_at": "Tue Jan 23 02:53:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002590143",
      "id": "100000000002590143",
      "full_text": "I think a rogue semicolon benchmarked three caches. ship it.",
      "created_at": "Tue Jan 23 01:10:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002583416",
      "id": "100000000002583416",
      "full_text": "This flaky test refactored the release notes #oncall",
      "created_at": "Mon Jan 22 23:04:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002580600",
      "id": "100000000002580600",
      "full_text": "Why does the build always feel what a week? The build rewrote a memory leak.",
      "created_at": "Mon Jan 22 21:50:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002570205",
      "id": "100000000002570205",
      "full_text": "A rogue semicolon benchmarked three caches https://t.co/05126c91",
      "created_at": "Mon Jan 22 20:26:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002558299",
      "id": "100000000002558299",
      "full_text": "New post: my linter deleted the on-call rota &gt; everything else https://t.co/c1b8d246 #devlife",
      "created_at": "Mon Jan 22 18:13:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002557249",
      "id": "100000000002557249",
      "full_text": "New post: the staging server benchmarked the release notes &gt; everything else https://t.co/95598239 #oncall",
      "created_at": "Mon Jan 22 17:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002549057",
      "id": "100000000002549057",
      "full_text": "RT @local_radio: My linter benchmarked the release notes https://t.co/d9baf4bd",
      "created_at": "Mon Jan 22 15:30:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002535523",
      "id": "100000000002535523",
      "full_text": "@rubber_duck the staging server broke half the codebase, what a week",
      "created_at": "Mon Jan 22 14:06:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002533921",
      "id": "100000000002533921",
      "full_text": "My linter rewrote half the codebase https://t.co/24b2da7a",
      "created_at": "Mon Jan 22 12:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002521462",
      "id": "100000000002521462",
      "full_text": "Why does the build always feel tests are green? The build rewrote the on-call rota.",
      "created_at": "Mon Jan 22 10:40:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002513327",
      "id": "100000000002513327",
      "full_text": "Why does the build always feel send coffee? The build broke the release notes.",
      "created_at": "Mon Jan 22 09:22:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002506096",
      "id": "100000000002506096",
      "full_text": "My linter broke three caches https://t.co/2d581c47",
      "created_at": "Mon Jan 22 07:50:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002495273",
      "id": "100000000002495273",
      "full_text": "RT @weekly_digest: The build broke a memory leak https://t.co/4175de07",
      "created_at": "Mon Jan 22 05:39:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002489350",
      "id": "100000000002489350",
      "full_text": "@ci_bot this flaky test rewrote the on-call rota, tests are green",
      "created_at": "Mon Jan 22 04:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002483022",
      "id": "100000000002483022",
      "full_text": "RT @local_radio: A rogue semicolon deleted half the codebase https://t.co/15d72cfe",
      "created_at": "Mon Jan 22 02:18:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002473195",
      "id": "100000000002473195",
      "full_text": "@ci_bot this flaky test broke the on-call rota, tests are green",
      "created_at": "Mon Jan 22 00:35:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002465888",
      "id": "100000000002465888",
      "full_text": "Why does the staging server always feel ship it? The staging server benchmarked a memory leak.",
      "created_at": "Sun Jan 21 23:03:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002460958",
      "id": "100000000002460958",
      "full_text": "This flaky test refactored the release notes https://t.co/51d17a3e",
      "created_at": "Sun Jan 21 21:59:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002453364",
      "id": "100000000002453364",
      "full_text": "This flaky test broke the release notes\n\nwhat a week ✨",
      "created_at": "Sun Jan 21 20:00:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002444857",
      "id": "100000000002444857",
      "full_text": "Why does my linter always feel tests are green? My linter broke the release notes.",
      "created_at": "Sun Jan 21 18:44:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002435195",
      "id": "100000000002435195",
      "full_text": "New post: the build rewrote three caches &gt; everything else https://t.co/571d221c #devlife",
      "created_at": "Sun Jan 21 16:33:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002429189",
      "id": "100000000002429189",
      "full_text": "My linter deleted three caches. tests are green!",
      "created_at": "Sun Jan 21 14:56:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002416004",
      "id": "100000000002416004",
      "full_text": "@ci_bot my linter deleted three caches, send coffee",
      "created_at": "Sun Jan 21 13:31:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002412695",
      "id": "100000000002412695",
      "full_text": "I think the staging server deleted the on-call rota. ship it.",
      "created_at": "Sun Jan 21 11:41:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002401677",
      "id": "100000000002401677",
      "full_text": "Note to self: the staging server deleted half the codebase &lt;3",
      "created_at": "Sun Jan 21 10:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002395930",
      "id": "100000000002395930",
      "full_text": "Today a rogue semicolon deleted the release notes &amp; I am tests are green 😅",
      "created_at": "Sun Jan 21 08:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002391199",
      "id": "100000000002391199",
      "full_text": "The staging server rewrote three caches\n\nship it 🔥",
      "created_at": "Sun Jan 21 07:00:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002379481",
      "id": "100000000002379481",
      "full_text": "A rogue semicolon refactored a memory leak. send coffee!",
      "created_at": "Sun Jan 21 05:04:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002371663",
      "id": "100000000002371663",
      "full_text": "This flaky test refactored half the codebase\n\nsend coffee ✨",
      "created_at": "Sun Jan 21 04:01:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002366976",
      "id": "100000000002366976",
      "full_text": "My linter refactored the on-call rota\n\nit works on my machine 🍞",
      "created_at": "Sun Jan 21 02:30:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002356663",
      "id": "100000000002356663",
      "full_text": "My linter broke the release notes https://t.co/6dcf1729",
      "created_at": "Sun Jan 21 00:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002349519",
      "id": "100000000002349519",
      "full_text": "#devlife 🙌",
      "created_at": "Sat Jan 20 23:13:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002341223",
      "id": "100000000002341223",
      "full_text": "@ci_bot this flaky test benchmarked three caches, send coffee",
      "created_at": "Sat Jan 20 21:47:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002329573",
      "id": "100000000002329573",
      "full_text": "This flaky test refactored half the codebase. what a week!",
      "created_at": "Sat Jan 20 19:54:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002320964",
      "id": "100000000002320964",
      "full_text": "A rogue semicolon broke half the codebase https://t.co/4d1ca68a",
      "created_at": "Sat Jan 20 17:47:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002313677",
      "id": "100000000002313677",
      "full_text": "Why does a rogue semicolon always feel what a week? A rogue semicolon benchmarked the on-call rota.",
      "created_at": "Sat Jan 20 16:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002308389",
      "id": "100000000002308389",
      "full_text": "A rogue semicolon rewrote three caches #oncall",
      "created_at": "Sat Jan 20 15:05:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002300823",
      "id": "100000000002300823",
      "full_text": "Today a rogue semicolon rewrote three caches &amp; I am tests are green 💻",
      "created_at": "Sat Jan 20 13:07:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002289495",
      "id": "100000000002289495",
      "full_text": "New post: this flaky test deleted the release notes &gt; everything else https://t.co/c4e257e1 #devlife",
      "created_at": "Sat Jan 20 11:28:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002282001",
      "id": "100000000002282001",
      "full_text": "Today a rogue semicolon deleted three caches &amp; I am ship it 🔥",
      "created_at": "Sat Jan 20 09:58:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002275888",
      "id": "100000000002275888",
      "full_text": "@ci_bot a rogue semicolon rewrote a memory leak, tests are green",
      "created_at": "Sat Jan 20 08:16:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002269250",
      "id": "100000000002269250",
      "full_text": "Why does this flaky test always feel ship it? This flaky test broke the on-call rota.",
      "created_at": "Sat Jan 20 06:49:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002259893",
      "id": "100000000002259893",
      "full_text": "The build benchmarked half the codebase\n\ntests are green 🔥",
      "created_at": "Sat Jan 20 05:05:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002255850",
      "id": "100000000002255850",
      "full_text": "This flaky test refactored a memory leak #devlife",
      "created_at": "Sat Jan 20 03:43:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002247491",
      "id": "100000000002247491",
      "full_text": "A rogue semicolon refactored half the codebase https://t.co/2753d159",
      "created_at": "Sat Jan 20 01:34:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002236781",
      "id": "100000000002236781",
      "full_text": "Today a rogue semicolon refactored three caches &amp; I am what a week 💻",
      "created_at": "Sat Jan 20 00:06:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002228875",
      "id": "100000000002228875",
      "full_text": "@rubber_duck a rogue semicolon deleted three caches, send coffee",
      "created_at": "Fri Jan 19 23:05:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002222588",
      "id": "100000000002222588",
      "full_text": "A rogue semicolon broke half the codebase. tests are green!",
      "created_at": "Fri Jan 19 20:48:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002209467",
      "id": "100000000002209467",
      "full_text": "Note to self: my linter rewrote the release notes &lt;3",
      "created_at": "Fri Jan 19 19:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002206657",
      "id": "100000000002206657",
      "full_text": "Today the build deleted three caches &amp; I am what a week 🙌",
      "created_at": "Fri Jan 19 18:24:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002194906",
      "id": "100000000002194906",
      "full_text": "@rubber_duck lol",
      "created_at": "Fri Jan 19 16:20:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002186356",
      "id": "100000000002186356",
      "full_text": "Today this flaky test benchmarked three caches &amp; I am it works on my machine 😅",
      "created_at": "Fri Jan 19 14:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002184748",
      "id": "100000000002184748",
      "full_text": "The build refactored three caches. ship it!",
      "created_at": "Fri Jan 19 12:51:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002172438",
      "id": "100000000002172438",
      "full_text": "The staging server benchmarked three caches https://t.co/c0d4955d",
      "created_at": "Fri Jan 19 11:41:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002165105",
      "id": "100000000002165105",
      "full_text": "Today the staging server refactored half the codebase &amp; I am tests are green 💻",
      "created_at": "Fri Jan 19 09:39:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002157235",
      "id": "100000000002157235",
      "full_text": "The build refactored the release notes\n\nit works on my machine ⛰️",
      "created_at": "Fri Jan 19 08:39:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002150754",
      "id": "100000000002150754",
      "full_text": "Why does a rogue semicolon always feel it works on my machine? A rogue semicolon broke the release notes.",
      "created_at": "Fri Jan 19 06:47:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002143165",
      "id": "100000000002143165",
      "full_text": "New post: the build deleted the release notes &gt; everything else https://t.co/eaeefc6a #python",
      "created_at": "Fri Jan 19 04:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002132299",
      "id": "100000000002132299",
      "full_text": "A rogue semicolon rewrote the release notes https://t.co/b207202d",
      "created_at": "Fri Jan 19 02:59:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002127404",
      "id": "100000000002127404",
      "full_text": "I think the staging server broke half the codebase. it works on my machine.",
      "created_at": "Fri Jan 19 02:01:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002117936",
      "id": "100000000002117936",
      "full_text": "Why does my linter always feel send coffee? My linter refactored a memory leak.",
      "created_at": "Fri Jan 19 00:06:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002109750",
      "id": "100000000002109750",
      "full_text": "The staging server rewrote half the codebase. ship it!",
      "created_at": "Thu Jan 18 22:47:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002105700",
      "id": "100000000002105700",
      "full_text": "Today my linter deleted three caches &amp; I am send coffee 🙌",
      "created_at": "Thu Jan 18 20:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002093780",
      "id": "100000000002093780",
      "full_text": "Why does the staging server always feel send coffee? The staging server benchmarked the release notes.",
      "created_at": "Thu Jan 18 19:05:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002083672",
      "id": "100000000002083672",
      "full_text": "RT @news_desk: This flaky test broke three caches https://t.co/d4f20068",
      "created_at": "Thu Jan 18 18:00:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002074840",
      "id": "100000000002074840",
      "full_text": "New post: the staging server refactored a memory leak &gt; everything else https://t.co/0fba1430 #devlife",
      "created_at": "Thu Jan 18 16:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002069930",
      "id": "100000000002069930",
      "full_text": "RT @news_desk: My linter broke the on-call rota https://t.co/356611ab",
      "created_at": "Thu Jan 18 14:40:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002066134",
      "id": "100000000002066134",
      "full_text": "Note to self: my linter broke half the codebase &lt;3",
      "created_at": "Thu Jan 18 12:57:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002054386",
      "id": "100000000002054386",
      "full_text": "RT @news_desk: The build broke three caches https://t.co/cb076449",
      "created_at": "Thu Jan 18 11:02:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002045054",
      "id": "100000000002045054",
      "full_text": "Today the build benchmarked a memory leak &amp; I am what a week 🌻",
      "created_at": "Thu Jan 18 09:36:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002037353",
      "id": "100000000002037353",
      "full_text": "yes @ci_bot",
      "created_at": "Thu Jan 18 08:00:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002031779",
      "id": "100000000002031779",
      "full_text": "I think the build rewrote three caches. tests are green.",
      "created_at": "Thu Jan 18 06:16:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002019700",
      "id": "100000000002019700",
      "full_text": "The staging server benchmarked the release notes. tests are green!",
      "created_at": "Thu Jan 18 04:46:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002019139",
      "id": "100000000002019139",
      "full_text": "New post: the staging server benchmarked three caches &gt; everything else https://t.co/ea7d2e29 #oncall",
      "created_at": "Thu Jan 18 03:33:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002005957",
      "id": "100000000002005957",
      "full_text": "Why does a rogue semicolon always feel tests are green? A rogue semicolon refactored the release notes.",
      "created_at": "Thu Jan 18 01:53:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000002000339",
      "id": "100000000002000339",
      "full_text": "I think the staging server deleted a memory leak. what a week.",
      "created_at": "Thu Jan 18 00:06:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001993993",
      "id": "100000000001993993",
      "full_text": "The staging server broke three caches. send coffee!",
      "created_at": "Wed Jan 17 22:27:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001987566",
      "id": "100000000001987566",
      "full_text": "@rubber_duck lol",
      "created_at": "Wed Jan 17 20:23:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001979366",
      "id": "100000000001979366",
      "full_text": "Why does my linter always feel what a week? My linter refactored the on-call rota.",
      "created_at": "Wed Jan 17 19:03:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001971319",
      "id": "100000000001971319",
      "full_text": "A rogue semicolon refactored the release notes. send coffee!",
      "created_at": "Wed Jan 17 17:50:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001959388",
      "id": "100000000001959388",
      "full_text": "Today this flaky test rewrote half the codebase &amp; I am ship it 🍞",
      "created_at": "Wed Jan 17 15:54:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001950421",
      "id": "100000000001950421",
      "full_text": "Note to self: this flaky test broke the on-call rota &lt;3",
      "created_at": "Wed Jan 17 14:36:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001941504",
      "id": "100000000001941504",
      "full_text": "I think my linter broke half the codebase. ship it.",
      "created_at": "Wed Jan 17 13:00:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001936280",
      "id": "100000000001936280",
      "full_text": "@code_review a rogue semicolon benchmarked the on-call rota, tests are green",
      "created_at": "Wed Jan 17 11:15:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001926827",
      "id": "100000000001926827",
      "full_text": "Note to self: my linter broke the release notes &lt;3",
      "created_at": "Wed Jan 17 08:56:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001920171",
      "id": "100000000001920171",
      "full_text": "The build benchmarked half the codebase #python",
      "created_at": "Wed Jan 17 07:54:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001913381",
      "id": "100000000001913381",
      "full_text": "New post: my linter deleted half the codebase &gt; everything else https://t.co/5f227cf5 #oncall",
      "created_at": "Wed Jan 17 06:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001901647",
      "id": "100000000001901647",
      "full_text": "My linter broke the on-call rota #devlife",
      "created_at": "Wed Jan 17 04:54:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001899834",
      "id": "100000000001899834",
      "full_text": "@ci_bot the staging server broke half the codebase, ship it",
      "created_at": "Wed Jan 17 02:36:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001890167",
      "id": "100000000001890167",
      "full_text": "This flaky test refactored the on-call rota\n\nit works on my machine 🍞",
      "created_at": "Wed Jan 17 01:04:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001876970",
      "id": "100000000001876970",
      "full_text": "My linter refactored the on-call rota. send coffee!",
      "created_at": "Tue Jan 16 23:53:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001873718",
      "id": "100000000001873718",
      "full_text": "Today the build broke the release notes &amp; I am tests are green 😅",
      "created_at": "Tue Jan 16 22:02:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001866655",
      "id": "100000000001866655",
      "full_text": "#python 🙌",
      "created_at": "Tue Jan 16 20:42:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001859676",
      "id": "100000000001859676",
      "full_text": "RT @news_desk: The build broke a memory leak https://t.co/e87994a6",
      "created_at": "Tue Jan 16 18:22:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001852952",
      "id": "100000000001852952",
      "full_text": "This flaky test refactored the release notes #python",
      "created_at": "Tue Jan 16 17:03:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001841668",
      "id": "100000000001841668",
      "full_text": "Why does the build always feel send coffee? The build deleted the release notes.",
      "created_at": "Tue Jan 16 15:08:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001833875",
      "id": "100000000001833875",
      "full_text": "My linter benchmarked the on-call rota. ship it!",
      "created_at": "Tue Jan 16 14:22:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001823749",
      "id": "100000000001823749",
      "full_text": "@rubber_duck this flaky test refactored the on-call rota, ship it",
      "created_at": "Tue Jan 16 12:15:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001819657",
      "id": "100000000001819657",
      "full_text": "New post: my linter rewrote the release notes &gt; everything else https://t.co/a9f7fefa #devlife",
      "created_at": "Tue Jan 16 10:54:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001811958",
      "id": "100000000001811958",
      "full_text": "Why does a rogue semicolon always feel what a week? A rogue semicolon rewrote half the codebase.",
      "created_at": "Tue Jan 16 09:26:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001801761",
      "id": "100000000001801761",
      "full_text": "Why does the build always feel it works on my machine? The build refactored three caches.",
      "created_at": "Tue Jan 16 07:04:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001793796",
      "id": "100000000001793796",
      "full_text": "Today this flaky test rewrote a memory leak &amp; I am send coffee 💻",
      "created_at": "Tue Jan 16 06:19:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001782549",
      "id": "100000000001782549",
      "full_text": "Note to self: the build deleted half the codebase &lt;3",
      "created_at": "Tue Jan 16 04:16:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001780757",
      "id": "100000000001780757",
      "full_text": "A rogue semicolon benchmarked three caches\n\nwhat a week ✨",
      "created_at": "Tue Jan 16 03:04:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001771451",
      "id": "100000000001771451",
      "full_text": "Note to self: a rogue semicolon refactored half the codebase &lt;3",
      "created_at": "Tue Jan 16 01:06:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001759640",
      "id": "100000000001759640",
      "full_text": "New post: the staging server deleted half the codebase &gt; everything else https://t.co/3dad5c42 #oncall",
      "created_at": "Mon Jan 15 23:30:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001755198",
      "id": "100000000001755198",
      "full_text": "New post: the staging server broke a memory leak &gt; everything else https://t.co/76cc8580 #python",
      "created_at": "Mon Jan 15 22:07:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001747814",
      "id": "100000000001747814",
      "full_text": "The staging server rewrote half the codebase https://t.co/0ec94663",
      "created_at": "Mon Jan 15 19:47:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001741375",
      "id": "100000000001741375",
      "full_text": "Today the build broke a memory leak &amp; I am tests are green 😅",
      "created_at": "Mon Jan 15 18:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001727385",
      "id": "100000000001727385",
      "full_text": "A rogue semicolon refactored the on-call rota\n\nwhat a week 😅",
      "created_at": "Mon Jan 15 16:53:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001723007",
      "id": "100000000001723007",
      "full_text": "The build broke half the codebase https://t.co/945214cf",
      "created_at": "Mon Jan 15 15:31:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001710902",
      "id": "100000000001710902",
      "full_text": "A rogue semicolon deleted the on-call rota. ship it!",
      "created_at": "Mon Jan 15 13:19:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001708962",
      "id": "100000000001708962",
      "full_text": "The build rewrote half the codebase. ship it!",
      "created_at": "Mon Jan 15 11:48:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001698614",
      "id": "100000000001698614",
      "full_text": "I think my linter deleted half the codebase. tests are green.",
      "created_at": "Mon Jan 15 10:04:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001690127",
      "id": "100000000001690127",
      "full_text": "RT @weekly_digest: The staging server refactored three caches https://t.co/201760cd",
      "created_at": "Mon Jan 15 08:56:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001680556",
      "id": "100000000001680556",
      "full_text": "My linter benchmarked the release notes https://t.co/9e890e39",
      "created_at": "Mon Jan 15 06:54:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001677079",
      "id": "100000000001677079",
      "full_text": "Today my linter rewrote three caches &amp; I am what a week ⛰️",
      "created_at": "Mon Jan 15 05:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001664906",
      "id": "100000000001664906",
      "full_text": "New post: a rogue semicolon benchmarked a memory leak &gt; everything else https://t.co/5f1dc75c #devlife",
      "created_at": "Mon Jan 15 03:31:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001655705",
      "id": "100000000001655705",
      "full_text": "The staging server refactored three caches\n\nship it ✨",
      "created_at": "Mon Jan 15 01:55:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001650175",
      "id": "100000000001650175",
      "full_text": "yes @code_review",
      "created_at": "Mon Jan 15 00:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001641353",
      "id": "100000000001641353",
      "full_text": "The build benchmarked a memory leak\n\nship it ✨",
      "created_at": "Sun Jan 14 23:14:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001637543",
      "id": "100000000001637543",
      "full_text": "New post: the staging server broke three caches &gt; everything else https://t.co/3b5c42e5 #devlife",
      "created_at": "Sun Jan 14 21:41:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001624621",
      "id": "100000000001624621",
      "full_text": "RT @weekly_digest: This flaky test benchmarked a memory leak https://t.co/129b33ab",
      "created_at": "Sun Jan 14 20:20:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001619511",
      "id": "100000000001619511",
      "full_text": "New post: the staging server refactored the on-call rota &gt; everything else https://t.co/092630d2 #devlife",
      "created_at": "Sun Jan 14 18:23:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001612447",
      "id": "100000000001612447",
      "full_text": "I think my linter broke half the codebase. send coffee.",
      "created_at": "Sun Jan 14 16:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001604345",
      "id": "100000000001604345",
      "full_text": "RT @news_desk: The build benchmarked the release notes https://t.co/218ea797",
      "created_at": "Sun Jan 14 15:19:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001593884",
      "id": "100000000001593884",
      "full_text": "This flaky test deleted the on-call rota https://t.co/adb939c1",
      "created_at": "Sun Jan 14 13:46:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001589745",
      "id": "100000000001589745",
      "full_text": "The staging server benchmarked half the codebase. ship it!",
      "created_at": "Sun Jan 14 11:57:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001577961",
      "id": "100000000001577961",
      "full_text": "Today the staging server benchmarked the on-call rota &amp; I am send coffee 🌻",
      "created_at": "Sun Jan 14 09:49:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001575161",
      "id": "100000000001575161",
      "full_text": "This flaky test refactored a memory leak #oncall",
      "created_at": "Sun Jan 14 08:46:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001565249",
      "id": "100000000001565249",
      "full_text": "The staging server benchmarked the release notes\n\nsend coffee 💻",
      "created_at": "Sun Jan 14 07:13:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001555085",
      "id": "100000000001555085",
      "full_text": "I think the staging server benchmarked the release notes. ship it.",
      "created_at": "Sun Jan 14 05:37:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001544599",
      "id": "100000000001544599",
      "full_text": "RT @weekly_digest: A rogue semicolon broke three caches https://t.co/fec2dfbb",
      "created_at": "Sun Jan 14 03:51:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001536926",
      "id": "100000000001536926",
      "full_text": "Note to self: the staging server benchmarked the on-call rota &lt;3",
      "created_at": "Sun Jan 14 01:41:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001529476",
      "id": "100000000001529476",
      "full_text": "@code_review the build broke the on-call rota, what a week",
      "created_at": "Sun Jan 14 00:59:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001528283",
      "id": "100000000001528283",
      "full_text": "I think my linter rewrote three caches. tests are green.",
      "created_at": "Sat Jan 13 23:20:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001517606",
      "id": "100000000001517606",
      "full_text": "The staging server broke the release notes #oncall",
      "created_at": "Sat Jan 13 21:26:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001505240",
      "id": "100000000001505240",
      "full_text": "#oncall 🙌",
      "created_at": "Sat Jan 13 19:48:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001501797",
      "id": "100000000001501797",
      "full_text": "New post: this flaky test broke a memory leak &gt; everything else https://t.co/5254a98b #oncall",
      "created_at": "Sat Jan 13 17:54:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001493863",
      "id": "100000000001493863",
      "full_text": "This flaky test rewrote half the codebase #devlife",
      "created_at": "Sat Jan 13 16:42:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001487496",
      "id": "100000000001487496",
      "full_text": "@ci_bot a rogue semicolon refactored three caches, ship it",
      "created_at": "Sat Jan 13 15:15:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001473742",
      "id": "100000000001473742",
      "full_text": "New post: this flaky test rewrote three caches &gt; everything else https://t.co/1875b5c0 #oncall",
      "created_at": "Sat Jan 13 13:38:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001465652",
      "id": "100000000001465652",
      "full_text": "Today my linter deleted the on-call rota &amp; I am what a week 🍞",
      "created_at": "Sat Jan 13 11:30:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001463192",
      "id": "100000000001463192",
      "full_text": "RT @news_desk: This flaky test refactored the on-call rota https://t.co/0f0b535a",
      "created_at": "Sat Jan 13 10:06:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001449718",
      "id": "100000000001449718",
      "full_text": "Note to self: the staging server deleted the on-call rota &lt;3",
      "created_at": "Sat Jan 13 07:59:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001445483",
      "id": "100000000001445483",
      "full_text": "Today the staging server rewrote half the codebase &amp; I am what a week ⛰️",
      "created_at": "Sat Jan 13 07:00:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001440166",
      "id": "100000000001440166",
      "full_text": "@code_review the staging server refactored a memory leak, send coffee",
      "created_at": "Sat Jan 13 04:51:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001429545",
      "id": "100000000001429545",
      "full_text": "RT @news_desk: This flaky test broke half the codebase https://t.co/2670a117",
      "created_at": "Sat Jan 13 03:20:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001418550",
      "id": "100000000001418550",
      "full_text": "My linter benchmarked half the codebase #devlife",
      "created_at": "Sat Jan 13 02:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001414610",
      "id": "100000000001414610",
      "full_text": "Note to self: a rogue semicolon broke a memory leak &lt;3",
      "created_at": "Sat Jan 13 00:14:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001406924",
      "id": "100000000001406924",
      "full_text": "The build benchmarked three caches\n\nship it ✨",
      "created_at": "Fri Jan 12 23:00:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001395603",
      "id": "100000000001395603",
      "full_text": "A rogue semicolon refactored half the codebase\n\nship it 🌻",
      "created_at": "Fri Jan 12 21:16:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001393205",
      "id": "100000000001393205",
      "full_text": "The build rewrote three caches. tests are green!",
      "created_at": "Fri Jan 12 19:49:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001378933",
      "id": "100000000001378933",
      "full_text": "#devlife 🙌",
      "created_at": "Fri Jan 12 18:08:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001370922",
      "id": "100000000001370922",
      "full_text": "Today the staging server rewrote the release notes &amp; I am it works on my machine ✨",
      "created_at": "Fri Jan 12 16:04:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001366032",
      "id": "100000000001366032",
      "full_text": "My linter benchmarked half the codebase. send coffee!",
      "created_at": "Fri Jan 12 14:43:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001359380",
      "id": "100000000001359380",
      "full_text": "New post: this flaky test refactored half the codebase &gt; everything else https://t.co/4be16eb8 #python",
      "created_at": "Fri Jan 12 13:24:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001349790",
      "id": "100000000001349790",
      "full_text": "Note to self: a rogue semicolon benchmarked half the codebase &lt;3",
      "created_at": "Fri Jan 12 11:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001342219",
      "id": "100000000001342219",
      "full_text": "The staging server broke the on-call rota. what a week!",
      "created_at": "Fri Jan 12 09:59:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001334354",
      "id": "100000000001334354",
      "full_text": "@ci_bot my linter benchmarked half the codebase, it works on my machine",
      "created_at": "Fri Jan 12 08:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001323652",
      "id": "100000000001323652",
      "full_text": "Why does the build always feel it works on my machine? The build rewrote the release notes.",
      "created_at": "Fri Jan 12 06:05:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001317778",
      "id": "100000000001317778",
      "full_text": "RT @news_desk: The build deleted the release notes https://t.co/962b1a1d",
      "created_at": "Fri Jan 12 05:04:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001314280",
      "id": "100000000001314280",
      "full_text": "@ci_bot this flaky test rewrote half the codebase, send coffee",
      "created_at": "Fri Jan 12 03:24:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001302019",
      "id": "100000000001302019",
      "full_text": "A rogue semicolon rewrote a memory leak #python",
      "created_at": "Fri Jan 12 01:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001296125",
      "id": "100000000001296125",
      "full_text": "Why does a rogue semicolon always feel what a week? A rogue semicolon refactored a memory leak.",
      "created_at": "Fri Jan 12 00:08:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001289361",
      "id": "100000000001289361",
      "full_text": "New post: this flaky test rewrote half the codebase &gt; everything else https://t.co/108ed2ee #devlife",
      "created_at": "Thu Jan 11 22:43:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001276435",
      "id": "100000000001276435",
      "full_text": "My linter deleted three caches. ship it!",
      "created_at": "Thu Jan 11 20:41:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001270108",
      "id": "100000000001270108",
      "full_text": "This flaky test broke half the codebase #python",
      "created_at": "Thu Jan 11 19:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001260578",
      "id": "100000000001260578",
      "full_text": "I think a rogue semicolon benchmarked the on-call rota. it works on my machine.",
      "created_at": "Thu Jan 11 17:13:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001253532",
      "id": "100000000001253532",
      "full_text": "Why does this flaky test always feel ship it? This flaky test deleted the on-call rota.",
      "created_at": "Thu Jan 11 16:00:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001247143",
      "id": "100000000001247143",
      "full_text": "My linter rewrote three caches #devlife",
      "created_at": "Thu Jan 11 14:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001238123",
      "id": "100000000001238123",
      "full_text": "@code_review the staging server deleted a memory leak, tests are green",
      "created_at": "Thu Jan 11 12:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001229767",
      "id": "100000000001229767",
      "full_text": "The build broke half the codebase #devlife",
      "created_at": "Thu Jan 11 10:51:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001223532",
      "id": "100000000001223532",
      "full_text": "@code_review the staging server rewrote the release notes, send coffee",
      "created_at": "Thu Jan 11 09:30:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001218151",
      "id": "100000000001218151",
      "full_text": "Note to self: the build rewrote the release notes &lt;3",
      "created_at": "Thu Jan 11 07:46:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001205100",
      "id": "100000000001205100",
      "full_text": "New post: this flaky test broke the on-call rota &gt; everything else https://t.co/6616e119 #devlife",
      "created_at": "Thu Jan 11 05:44:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001198680",
      "id": "100000000001198680",
      "full_text": "A rogue semicolon benchmarked half the codebase\n\nship it 💻",
      "created_at": "Thu Jan 11 04:45:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001189051",
      "id": "100000000001189051",
      "full_text": "Today my linter rewrote the on-call rota &amp; I am ship it ✨",
      "created_at": "Thu Jan 11 03:04:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001186307",
      "id": "100000000001186307",
      "full_text": "Note to self: the staging server benchmarked a memory leak &lt;3",
      "created_at": "Thu Jan 11 00:54:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001177930",
      "id": "100000000001177930",
      "full_text": "RT @weekly_digest: The build deleted three caches https://t.co/ddfbaee7",
      "created_at": "Wed Jan 10 23:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001169344",
      "id": "100000000001169344",
      "full_text": "New post: the build benchmarked half the codebase &gt; everything else https://t.co/2a9727f1 #oncall",
      "created_at": "Wed Jan 10 21:48:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001159506",
      "id": "100000000001159506",
      "full_text": "My linter rewrote three caches #devlife",
      "created_at": "Wed Jan 10 20:56:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001153067",
      "id": "100000000001153067",
      "full_text": "I think a rogue semicolon refactored a memory leak. tests are green.",
      "created_at": "Wed Jan 10 19:18:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001147616",
      "id": "100000000001147616",
      "full_text": "The staging server benchmarked the release notes #oncall",
      "created_at": "Wed Jan 10 17:44:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001136639",
      "id": "100000000001136639",
      "full_text": "@code_review the build deleted three caches, what a week",
      "created_at": "Wed Jan 10 15:19:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001132193",
      "id": "100000000001132193",
      "full_text": "https://t.co/abc123",
      "created_at": "Wed Jan 10 14:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001120387",
      "id": "100000000001120387",
      "full_text": "New post: this flaky test benchmarked the on-call rota &gt; everything else https://t.co/1a1d252f #devlife",
      "created_at": "Wed Jan 10 12:44:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001114018",
      "id": "100000000001114018",
      "full_text": "Note to self: the build deleted a memory leak &lt;3",
      "created_at": "Wed Jan 10 11:08:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001108491",
      "id": "100000000001108491",
      "full_text": "I think my linter broke the release notes. ship it.",
      "created_at": "Wed Jan 10 08:56:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001097170",
      "id": "100000000001097170",
      "full_text": "@code_review lol",
      "created_at": "Wed Jan 10 07:14:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001088125",
      "id": "100000000001088125",
      "full_text": "@code_review a rogue semicolon rewrote the on-call rota, what a week",
      "created_at": "Wed Jan 10 05:48:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001083754",
      "id": "100000000001083754",
      "full_text": "@ci_bot lol",
      "created_at": "Wed Jan 10 04:31:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001075541",
      "id": "100000000001075541",
      "full_text": "RT @weekly_digest: A rogue semicolon benchmarked the release notes https://t.co/0a290cc7",
      "created_at": "Wed Jan 10 02:39:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001069008",
      "id": "100000000001069008",
      "full_text": "yes @ci_bot",
      "created_at": "Wed Jan 10 00:50:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001053692",
      "id": "100000000001053692",
      "full_text": "RT @weekly_digest: My linter broke three caches https://t.co/0cec51bc",
      "created_at": "Tue Jan 09 23:01:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001050069",
      "id": "100000000001050069",
      "full_text": "I think the staging server deleted half the codebase. tests are green.",
      "created_at": "Tue Jan 09 21:41:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001039438",
      "id": "100000000001039438",
      "full_text": "Note to self: my linter broke the on-call rota &lt;3",
      "created_at": "Tue Jan 09 20:05:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001036811",
      "id": "100000000001036811",
      "full_text": "@code_review the staging server benchmarked the on-call rota, ship it",
      "created_at": "Tue Jan 09 18:11:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001029176",
      "id": "100000000001029176",
      "full_text": "I think the staging server rewrote three caches. tests are green.",
      "created_at": "Tue Jan 09 16:40:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001016649",
      "id": "100000000001016649",
      "full_text": "Note to self: my linter refactored a memory leak &lt;3",
      "created_at": "Tue Jan 09 15:41:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001007316",
      "id": "100000000001007316",
      "full_text": "Today the build broke a memory leak &amp; I am ship it 💻",
      "created_at": "Tue Jan 09 13:49:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000001001085",
      "id": "100000000001001085",
      "full_text": "https://t.co/abc123",
      "created_at": "Tue Jan 09 11:46:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000994569",
      "id": "100000000000994569",
      "full_text": "The staging server deleted the release notes\n\nwhat a week 💻",
      "created_at": "Tue Jan 09 11:00:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000981994",
      "id": "100000000000981994",
      "full_text": "The staging server broke the release notes. tests are green!",
      "created_at": "Tue Jan 09 08:31:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000979530",
      "id": "100000000000979530",
      "full_text": "RT @weekly_digest: A rogue semicolon broke half the codebase https://t.co/0d83f62a",
      "created_at": "Tue Jan 09 06:55:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000972855",
      "id": "100000000000972855",
      "full_text": "Note to self: the staging server benchmarked a memory leak &lt;3",
      "created_at": "Tue Jan 09 05:41:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000962236",
      "id": "100000000000962236",
      "full_text": "@rubber_duck this flaky test refactored the on-call rota, what a week",
      "created_at": "Tue Jan 09 04:02:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000954362",
      "id": "100000000000954362",
      "full_text": "I think a rogue semicolon deleted the on-call rota. it works on my machine.",
      "created_at": "Tue Jan 09 02:31:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000943860",
      "id": "100000000000943860",
      "full_text": "@rubber_duck the staging server deleted a memory leak, what a week",
      "created_at": "Tue Jan 09 01:14:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000935387",
      "id": "100000000000935387",
      "full_text": "Note to self: this flaky test deleted half the codebase &lt;3",
      "created_at": "Mon Jan 08 22:51:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000927490",
      "id": "100000000000927490",
      "full_text": "New post: the build deleted three caches &gt; everything else https://t.co/01b41e2b #oncall",
      "created_at": "Mon Jan 08 21:44:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000921327",
      "id": "100000000000921327",
      "full_text": "I think the staging server rewrote half the codebase. tests are green.",
      "created_at": "Mon Jan 08 20:03:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000913690",
      "id": "100000000000913690",
      "full_text": "Why does this flaky test always feel it works on my machine? This flaky test refactored the release notes.",
      "created_at": "Mon Jan 08 18:01:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000908480",
      "id": "100000000000908480",
      "full_text": "This flaky test rewrote the release notes https://t.co/fbdfc966",
      "created_at": "Mon Jan 08 16:30:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000900563",
      "id": "100000000000900563",
      "full_text": "A rogue semicolon deleted the on-call rota\n\ntests are green 🌻",
      "created_at": "Mon Jan 08 15:06:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000890569",
      "id": "100000000000890569",
      "full_text": "I think my linter deleted the release notes. it works on my machine.",
      "created_at": "Mon Jan 08 13:22:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000879305",
      "id": "100000000000879305",
      "full_text": "#devlife 🙌",
      "created_at": "Mon Jan 08 12:14:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000874377",
      "id": "100000000000874377",
      "full_text": "Today the build benchmarked a memory leak &amp; I am what a week 🍞",
      "created_at": "Mon Jan 08 10:43:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000870260",
      "id": "100000000000870260",
      "full_text": "I think the build benchmarked three caches. it works on my machine.",
      "created_at": "Mon Jan 08 08:28:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000856722",
      "id": "100000000000856722",
      "full_text": "@code_review a rogue semicolon rewrote the release notes, what a week",
      "created_at": "Mon Jan 08 06:55:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000850116",
      "id": "100000000000850116",
      "full_text": "I think a rogue semicolon deleted the on-call rota. it works on my machine.",
      "created_at": "Mon Jan 08 05:08:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000841401",
      "id": "100000000000841401",
      "full_text": "This flaky test benchmarked the on-call rota https://t.co/d655def2",
      "created_at": "Mon Jan 08 03:54:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000839006",
      "id": "100000000000839006",
      "full_text": "This flaky test refactored the release notes https://t.co/15abacb8",
      "created_at": "Mon Jan 08 02:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000831015",
      "id": "100000000000831015",
      "full_text": "Why does a rogue semicolon always feel send coffee? A rogue semicolon benchmarked a memory leak.",
      "created_at": "Mon Jan 08 00:47:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000823448",
      "id": "100000000000823448",
      "full_text": "A rogue semicolon refactored the on-call rota\n\nwhat a week ✨",
      "created_at": "Sun Jan 07 23:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000809479",
      "id": "100000000000809479",
      "full_text": "My linter deleted the on-call rota. send coffee!",
      "created_at": "Sun Jan 07 21:39:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000802288",
      "id": "100000000000802288",
      "full_text": "A rogue semicolon rewrote half the codebase. send coffee!",
      "created_at": "Sun Jan 07 20:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000793157",
      "id": "100000000000793157",
      "full_text": "My linter deleted a memory leak https://t.co/e5e22f21",
      "created_at": "Sun Jan 07 17:45:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000789666",
      "id": "100000000000789666",
      "full_text": "Note to self: a rogue semicolon benchmarked the on-call rota &lt;3",
      "created_at": "Sun Jan 07 16:54:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000776983",
      "id": "100000000000776983",
      "full_text": "The build refactored three caches. tests are green!",
      "created_at": "Sun Jan 07 14:47:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000771437",
      "id": "100000000000771437",
      "full_text": "This flaky test deleted a memory leak\n\nwhat a week 🙌",
      "created_at": "Sun Jan 07 13:31:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000766316",
      "id": "100000000000766316",
      "full_text": "This flaky test rewrote half the codebase #devlife",
      "created_at": "Sun Jan 07 11:57:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000756582",
      "id": "100000000000756582",
      "full_text": "RT @local_radio: A rogue semicolon deleted the release notes https://t.co/4ed9e510",
      "created_at": "Sun Jan 07 10:10:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000750979",
      "id": "100000000000750979",
      "full_text": "The staging server deleted the release notes #python",
      "created_at": "Sun Jan 07 08:07:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000739456",
      "id": "100000000000739456",
      "full_text": "@rubber_duck the staging server broke half the codebase, ship it",
      "created_at": "Sun Jan 07 06:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000733831",
      "id": "100000000000733831",
      "full_text": "RT @weekly_digest: The staging server refactored the release notes https://t.co/97557973",
      "created_at": "Sun Jan 07 05:11:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000720715",
      "id": "100000000000720715",
      "full_text": "New post: a rogue semicolon broke three caches &gt; everything else https://t.co/5674a1bc #oncall",
      "created_at": "Sun Jan 07 03:59:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000720307",
      "id": "100000000000720307",
      "full_text": "Today this flaky test benchmarked the release notes &amp; I am tests are green ⛰️",
      "created_at": "Sun Jan 07 02:15:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000711569",
      "id": "100000000000711569",
      "full_text": "RT @news_desk: This flaky test rewrote three caches https://t.co/fcb74515",
      "created_at": "Sun Jan 07 00:26:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000702363",
      "id": "100000000000702363",
      "full_text": "@rubber_duck my linter deleted a memory leak, what a week",
      "created_at": "Sat Jan 06 22:42:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000693490",
      "id": "100000000000693490",
      "full_text": "Today a rogue semicolon rewrote a memory leak &amp; I am it works on my machine ⛰️",
      "created_at": "Sat Jan 06 21:11:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000685114",
      "id": "100000000000685114",
      "full_text": "New post: the build refactored the on-call rota &gt; everything else https://t.co/278a3563 #python",
      "created_at": "Sat Jan 06 19:17:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000675831",
      "id": "100000000000675831",
      "full_text": "I think a rogue semicolon broke a memory leak. what a week.",
      "created_at": "Sat Jan 06 18:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000671369",
      "id": "100000000000671369",
      "full_text": "This flaky test benchmarked the release notes\n\nwhat a week 🔥",
      "created_at": "Sat Jan 06 15:52:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000664253",
      "id": "100000000000664253",
      "full_text": "Why does the build always feel it works on my machine? The build broke half the codebase.",
      "created_at": "Sat Jan 06 14:46:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000653822",
      "id": "100000000000653822",
      "full_text": "The staging server broke the release notes. what a week!",
      "created_at": "Sat Jan 06 13:08:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000641942",
      "id": "100000000000641942",
      "full_text": "This flaky test refactored half the codebase https://t.co/ba76bf30",
      "created_at": "Sat Jan 06 11:02:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000636220",
      "id": "100000000000636220",
      "full_text": "RT @news_desk: The staging server rewrote half the codebase https://t.co/bfdd5938",
      "created_at": "Sat Jan 06 09:55:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000628608",
      "id": "100000000000628608",
      "full_text": "A rogue semicolon deleted the release notes. ship it!",
      "created_at": "Sat Jan 06 08:37:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000623501",
      "id": "100000000000623501",
      "full_text": "Today the build deleted a memory leak &amp; I am it works on my machine 🌻",
      "created_at": "Sat Jan 06 06:41:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000609848",
      "id": "100000000000609848",
      "full_text": "The build rewrote half the codebase https://t.co/5fccb3ec",
      "created_at": "Sat Jan 06 05:17:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000603964",
      "id": "100000000000603964",
      "full_text": "My linter rewrote half the codebase. ship it!",
      "created_at": "Sat Jan 06 03:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000596967",
      "id": "100000000000596967",
      "full_text": "Why does this flaky test always feel ship it? This flaky test broke the release notes.",
      "created_at": "Sat Jan 06 01:53:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000591565",
      "id": "100000000000591565",
      "full_text": "@rubber_duck the build refactored three caches, send coffee",
      "created_at": "Fri Jan 05 23:45:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000578351",
      "id": "100000000000578351",
      "full_text": "yes @rubber_duck",
      "created_at": "Fri Jan 05 22:21:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000570177",
      "id": "100000000000570177",
      "full_text": "Note to self: a rogue semicolon benchmarked the on-call rota &lt;3",
      "created_at": "Fri Jan 05 20:55:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000563551",
      "id": "100000000000563551",
      "full_text": "New post: my linter broke three caches &gt; everything else https://t.co/fe15e7c5 #oncall",
      "created_at": "Fri Jan 05 19:42:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000561840",
      "id": "100000000000561840",
      "full_text": "@code_review this flaky test broke half the codebase, it works on my machine",
      "created_at": "Fri Jan 05 17:40:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000553374",
      "id": "100000000000553374",
      "full_text": "Why does a rogue semicolon always feel send coffee? A rogue semicolon refactored the on-call rota.",
      "created_at": "Fri Jan 05 15:37:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000543326",
      "id": "100000000000543326",
      "full_text": "My linter broke a memory leak https://t.co/a00e1c29",
      "created_at": "Fri Jan 05 14:18:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000534975",
      "id": "100000000000534975",
      "full_text": "RT @weekly_digest: This flaky test deleted the on-call rota https://t.co/46a9b63d",
      "created_at": "Fri Jan 05 13:18:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000523073",
      "id": "100000000000523073",
      "full_text": "yes @code_review",
      "created_at": "Fri Jan 05 11:17:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000517685",
      "id": "100000000000517685",
      "full_text": "Note to self: the build rewrote half the codebase &lt;3",
      "created_at": "Fri Jan 05 09:18:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000509124",
      "id": "100000000000509124",
      "full_text": "This flaky test deleted a memory leak https://t.co/690731af",
      "created_at": "Fri Jan 05 08:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000499276",
      "id": "100000000000499276",
      "full_text": "https://t.co/abc123",
      "created_at": "Fri Jan 05 06:19:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000491370",
      "id": "100000000000491370",
      "full_text": "https://t.co/abc123",
      "created_at": "Fri Jan 05 04:41:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000485719",
      "id": "100000000000485719",
      "full_text": "Today this flaky test rewrote the release notes &amp; I am ship it 🍞",
      "created_at": "Fri Jan 05 03:28:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000476300",
      "id": "100000000000476300",
      "full_text": "#python 🙌",
      "created_at": "Fri Jan 05 01:05:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000473022",
      "id": "100000000000473022",
      "full_text": "I think the build rewrote the on-call rota. ship it.",
      "created_at": "Fri Jan 05 00:17:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000466584",
      "id": "100000000000466584",
      "full_text": "RT @weekly_digest: This flaky test refactored the on-call rota https://t.co/81b75075",
      "created_at": "Thu Jan 04 22:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000451499",
      "id": "100000000000451499",
      "full_text": "A rogue semicolon refactored the release notes\n\nwhat a week ✨",
      "created_at": "Thu Jan 04 21:04:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000444581",
      "id": "100000000000444581",
      "full_text": "New post: a rogue semicolon refactored the release notes &gt; everything else https://t.co/5c6bfc75 #python",
      "created_at": "Thu Jan 04 18:34:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000436262",
      "id": "100000000000436262",
      "full_text": "New post: a rogue semicolon broke half the codebase &gt; everything else https://t.co/c93f8004 #oncall",
      "created_at": "Thu Jan 04 17:33:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000433790",
      "id": "100000000000433790",
      "full_text": "My linter deleted three caches https://t.co/24a095d3",
      "created_at": "Thu Jan 04 15:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000421434",
      "id": "100000000000421434",
      "full_text": "The build refactored the on-call rota https://t.co/73ab9b1d",
      "created_at": "Thu Jan 04 14:37:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000418425",
      "id": "100000000000418425",
      "full_text": "#python 🙌",
      "created_at": "Thu Jan 04 12:40:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000409152",
      "id": "100000000000409152",
      "full_text": "Note to self: this flaky test benchmarked the release notes &lt;3",
      "created_at": "Thu Jan 04 10:52:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000398483",
      "id": "100000000000398483",
      "full_text": "RT @local_radio: A rogue semicolon rewrote a memory leak https://t.co/d56c0ae5",
      "created_at": "Thu Jan 04 08:55:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000393169",
      "id": "100000000000393169",
      "full_text": "#devlife 🙌",
      "created_at": "Thu Jan 04 07:56:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000380167",
      "id": "100000000000380167",
      "full_text": "https://t.co/abc123",
      "created_at": "Thu Jan 04 06:05:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000372862",
      "id": "100000000000372862",
      "full_text": "@ci_bot the build benchmarked three caches, send coffee",
      "created_at": "Thu Jan 04 04:15:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000365408",
      "id": "100000000000365408",
      "full_text": "This flaky test refactored the release notes. tests are green!",
      "created_at": "Thu Jan 04 02:58:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000356874",
      "id": "100000000000356874",
      "full_text": "My linter broke the on-call rota #oncall",
      "created_at": "Thu Jan 04 01:22:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000348734",
      "id": "100000000000348734",
      "full_text": "My linter refactored the release notes. what a week!",
      "created_at": "Wed Jan 03 23:46:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000340606",
      "id": "100000000000340606",
      "full_text": "This flaky test refactored the on-call rota. ship it!",
      "created_at": "Wed Jan 03 22:27:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000336243",
      "id": "100000000000336243",
      "full_text": "My linter refactored the release notes\n\nit works on my machine 💻",
      "created_at": "Wed Jan 03 20:04:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000327093",
      "id": "100000000000327093",
      "full_text": "The staging server rewrote half the codebase. it works on my machine!",
      "created_at": "Wed Jan 03 18:31:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000324198",
      "id": "100000000000324198",
      "full_text": "Note to self: the build benchmarked three caches &lt;3",
      "created_at": "Wed Jan 03 17:23:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000309745",
      "id": "100000000000309745",
      "full_text": "yes @ci_bot",
      "created_at": "Wed Jan 03 15:17:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000304132",
      "id": "100000000000304132",
      "full_text": "yes @rubber_duck",
      "created_at": "Wed Jan 03 13:46:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000297897",
      "id": "100000000000297897",
      "full_text": "I think my linter broke a memory leak. send coffee.",
      "created_at": "Wed Jan 03 12:12:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000292865",
      "id": "100000000000292865",
      "full_text": "Note to self: the build broke half the codebase &lt;3",
      "created_at": "Wed Jan 03 10:31:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000277484",
      "id": "100000000000277484",
      "full_text": "Why does the build always feel ship it? The build benchmarked the release notes.",
      "created_at": "Wed Jan 03 09:22:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000272504",
      "id": "100000000000272504",
      "full_text": "The staging server refactored the release notes. send coffee!",
      "created_at": "Wed Jan 03 07:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000267521",
      "id": "100000000000267521",
      "full_text": "https://t.co/abc123",
      "created_at": "Wed Jan 03 05:42:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000259588",
      "id": "100000000000259588",
      "full_text": "Why does my linter always feel it works on my machine? My linter refactored the release notes.",
      "created_at": "Wed Jan 03 04:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000245867",
      "id": "100000000000245867",
      "full_text": "This flaky test deleted three caches\n\nit works on my machine 💻",
      "created_at": "Wed Jan 03 03:04:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000242994",
      "id": "100000000000242994",
      "full_text": "Today my linter benchmarked a memory leak &amp; I am ship it 🍞",
      "created_at": "Wed Jan 03 00:38:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000235473",
      "id": "100000000000235473",
      "full_text": "RT @news_desk: The staging server broke half the codebase https://t.co/cae9c3fc",
      "created_at": "Tue Jan 02 23:09:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000226713",
      "id": "100000000000226713",
      "full_text": "My linter broke three caches https://t.co/60226b0a",
      "created_at": "Tue Jan 02 22:07:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000217171",
      "id": "100000000000217171",
      "full_text": "This flaky test refactored the release notes https://t.co/047b99bc",
      "created_at": "Tue Jan 02 20:17:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000208811",
      "id": "100000000000208811",
      "full_text": "Note to self: this flaky test broke half the codebase &lt;3",
      "created_at": "Tue Jan 02 18:06:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000200921",
      "id": "100000000000200921",
      "full_text": "My linter rewrote half the codebase. it works on my machine!",
      "created_at": "Tue Jan 02 16:58:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000194037",
      "id": "100000000000194037",
      "full_text": "The build broke half the codebase\n\nit works on my machine 🌻",
      "created_at": "Tue Jan 02 15:33:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000187974",
      "id": "100000000000187974",
      "full_text": "RT @weekly_digest: The staging server rewrote the release notes https://t.co/1db9e8c2",
      "created_at": "Tue Jan 02 13:40:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000178798",
      "id": "100000000000178798",
      "full_text": "I think a rogue semicolon refactored three caches. send coffee.",
      "created_at": "Tue Jan 02 12:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000167438",
      "id": "100000000000167438",
      "full_text": "Note to self: a rogue semicolon rewrote the on-call rota &lt;3",
      "created_at": "Tue Jan 02 10:50:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000162281",
      "id": "100000000000162281",
      "full_text": "The staging server rewrote half the codebase #devlife",
      "created_at": "Tue Jan 02 08:52:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000152175",
      "id": "100000000000152175",
      "full_text": "The build broke three caches. what a week!",
      "created_at": "Tue Jan 02 07:32:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000145859",
      "id": "100000000000145859",
      "full_text": "Today my linter rewrote half the codebase &amp; I am it works on my machine 🔥",
      "created_at": "Tue Jan 02 05:25:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000139495",
      "id": "100000000000139495",
      "full_text": "The staging server refactored three caches #python",
      "created_at": "Tue Jan 02 03:31:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000131317",
      "id": "100000000000131317",
      "full_text": "Today the staging server benchmarked a memory leak &amp; I am what a week 🌻",
      "created_at": "Tue Jan 02 02:48:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000123196",
      "id": "100000000000123196",
      "full_text": "This flaky test deleted the release notes #oncall",
      "created_at": "Tue Jan 02 00:56:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000115450",
      "id": "100000000000115450",
      "full_text": "Note to self: the build deleted a memory leak &lt;3",
      "created_at": "Mon Jan 01 23:23:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000107084",
      "id": "100000000000107084",
      "full_text": "Why does the staging server always feel ship it? The staging server benchmarked a memory leak.",
      "created_at": "Mon Jan 01 21:44:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000097226",
      "id": "100000000000097226",
      "full_text": "I think this flaky test deleted three caches. it works on my machine.",
      "created_at": "Mon Jan 01 20:01:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000092862",
      "id": "100000000000092862",
      "full_text": "The staging server rewrote a memory leak\n\ntests are green 🔥",
      "created_at": "Mon Jan 01 18:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000086073",
      "id": "100000000000086073",
      "full_text": "I think my linter deleted the release notes. send coffee.",
      "created_at": "Mon Jan 01 16:46:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000072698",
      "id": "100000000000072698",
      "full_text": "Why does the staging server always feel tests are green? The staging server deleted the on-call rota.",
      "created_at": "Mon Jan 01 15:18:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000063414",
      "id": "100000000000063414",
      "full_text": "Why does this flaky test always feel ship it? This flaky test broke a memory leak.",
      "created_at": "Mon Jan 01 13:18:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000059037",
      "id": "100000000000059037",
      "full_text": "The build broke three caches https://t.co/131f2a2d",
      "created_at": "Mon Jan 01 11:51:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000053490",
      "id": "100000000000053490",
      "full_text": "New post: this flaky test broke a memory leak &gt; everything else https://t.co/b900d2ef #python",
      "created_at": "Mon Jan 01 09:47:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000046003",
      "id": "100000000000046003",
      "full_text": "Why does the staging server always feel what a week? The staging server rewrote the on-call rota.",
      "created_at": "Mon Jan 01 08:46:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000034539",
      "id": "100000000000034539",
      "full_text": "https://t.co/abc123",
      "created_at": "Mon Jan 01 06:52:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000025394",
      "id": "100000000000025394",
      "full_text": "@rubber_duck my linter deleted the release notes, send coffee",
      "created_at": "Mon Jan 01 05:40:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000020929",
      "id": "100000000000020929",
      "full_text": "Why does the build always feel ship it? The build broke three caches.",
      "created_at": "Mon Jan 01 03:35:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000014027",
      "id": "100000000000014027",
      "full_text": "Note to self: the staging server refactored a memory leak &lt;3",
      "created_at": "Mon Jan 01 02:21:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  },
  {
    "tweet": {
      "id_str": "100000000000005125",
      "id": "100000000000005125",
      "full_text": "Why does a rogue semicolon always feel send coffee? A rogue semicolon deleted a memory leak.",
      "created_at": "Mon Jan 01 00:29:00 +0000 2024",
      "retweeted": false,
      "lang": "en",
      "source": "<a href=\"https://example.invalid\">murmur</a>"
    }
  }
]