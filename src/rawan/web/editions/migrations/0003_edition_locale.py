from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('editions', '0002_edition_computed_inputs'),
    ]

    operations = [
        migrations.AddField(
            model_name='edition',
            name='locale',
            field=models.CharField(choices=[('id', 'Indonesia (1.234,5)'), ('en', 'English (1,234.5)')],
                                   default='id', max_length=2),
        ),
    ]
