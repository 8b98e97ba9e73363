from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('editions', '0004_edition_reference'),
    ]

    operations = [
        migrations.AddField(
            model_name='edition',
            name='source_en',
            field=models.TextField(blank=True),
        ),
    ]
